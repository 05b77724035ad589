package io.github.argrpo.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.argrpo.core.train.StepRecord;

/** The one progress display: redrawn in place on a terminal, a plain line every N updates otherwise. */
class ProgressBarTest {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static StepRecord step(int s) {
    return new StepRecord(s, Map.of("reward_mean", 0.5, "kl", 0.01));
  }

  @Test
  void offATerminalTrainingPrintsEveryNthStepAndTheLast() {
    ProgressBar p = new ProgressBar(out, "GRPO", false, 2, 1);
    p.onStart(1, 5);
    for (int s = 1; s <= 5; s++) {
      p.onStep(step(s));
    }
    p.onEnd();
    String[] lines = text().split("\n");
    assertThat(text()).doesNotContain("\r");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).startsWith("GRPO [").contains(" 2/5 ").contains("reward 0.500");
    assertThat(lines[1]).contains(" 4/5 ");
    assertThat(lines[2]).contains(" 5/5 ").contains("[########################]");
  }

  @Test
  void onATerminalTheLineIsRedrawnInPlace() {
    ProgressBar p = new ProgressBar(out, "GRPO", true, 10, 1);
    p.onStart(3, 4);   // a resumed run: steps 3 and 4 of 4
    p.onStep(step(3));
    p.onStep(step(4));
    p.onEnd();
    assertThat(text()).startsWith("\rGRPO [############............] 3/4 ");
    assertThat(text().split("\r")).hasSize(3);
    assertThat(text()).endsWith("\n").containsOnlyOnce("\n");
  }

  @Test
  void countingOffATerminal() {
    ProgressBar p = new ProgressBar(out, "sample", false, 3, 7);
    for (int done = 1; done <= 7; done++) {
      p.accept(done);
    }
    assertThat(text().split("\n")).extracting(l -> l.replaceAll(".*\\] (\\d+/\\d+) .*", "$1"))
        .containsExactly("3/7", "6/7", "7/7");
  }

  @Test
  void disabledCounterPrintsNothing() {
    PrintStream saved = System.err;
    try {
      System.setErr(out);
      ProgressBar.counter(false, "x", 3).accept(3);
    } finally {
      System.setErr(saved);
    }
    assertThat(text()).isEmpty();
  }
}
