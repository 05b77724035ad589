package io.github.argrpo.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.argrpo.core.train.StepRecord;
import io.github.argrpo.core.train.TrainingListener;

/**
 * A demo stopped during GRPO and started again: it must reuse the pretrained policy it kept (no second
 * maximum-likelihood phase), continue after its checkpoint, and report the run's first step. The
 * expectations come from the run folder itself, read here with Jackson (step 1 of
 * {@code metrics.jsonl}), and from an uninterrupted run of the same settings.
 */
class DemoResumeTest {

  private static final int GRPO_STEPS = 4;

  /** Tiny budgets: checkpoints after GRPO steps 2 and 4. */
  private static DemoOptions options(Path out) {
    return new DemoOptions(out, 3L, 12, 8, 3e-3, GRPO_STEPS, 2, 2, 5e-4, 0.02, 2.0, 1, false, false);
  }

  /** Stands for a kill: stops the run in step 3, after the step-2 checkpoint. */
  private static final class Interrupt extends RuntimeException {
    Interrupt() {
      super("interrupted by the test");
    }
  }

  private static List<JsonNode> metrics(Path run) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      out.add(json.readTree(line));
    }
    return out;
  }

  @Test
  void aStoppedDemoResumesWithoutPretrainingAgainAndReportsStepOne(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    TrainingListener killer = new TrainingListener() {
      @Override
      public void onStep(StepRecord r) {
        if (r.step() == 3) {
          throw new Interrupt();
        }
      }
    };
    assertThatThrownBy(() -> ShapeWorldDemo.run(options(run), killer)).isInstanceOf(Interrupt.class);
    Path pretrained = run.resolve("pretrained.safetensors");
    assertThat(pretrained).isRegularFile();
    FileTime written = Files.getLastModifiedTime(pretrained);
    byte[] bytes = Files.readAllBytes(pretrained);

    DemoSummary resumed = ShapeWorldDemo.run(options(run), null);
    assertThat(ShapeWorldDemo.pretrainingSettings(options(run)))
        .isNotEqualTo(ShapeWorldDemo.pretrainingSettings(options(run).withSeed(4)));

    assertThat(resumed.pretrainStepsRun()).as("maximum-likelihood steps run on resume").isZero();
    assertThat(Files.getLastModifiedTime(pretrained)).isEqualTo(written);
    assertThat(Files.readAllBytes(pretrained)).isEqualTo(bytes);
    List<JsonNode> lines = metrics(run);
    assertThat(lines).extracting(n -> n.get("step").asInt()).containsExactly(1, 2, 3, 4);
    assertThat(resumed.baselineEntropy()).as("entropy of metrics.jsonl's step 1")
        .isEqualTo(lines.get(0).get("entropy").asDouble());
    assertThat(resumed.finalEntropy()).isEqualTo(lines.get(3).get("entropy").asDouble());
    assertThat(resumed.finalKl()).isEqualTo(lines.get(3).get("kl").asDouble());

    // the same settings without the interruption: the same pretrained policy, the same steps
    Path straight = dir.resolve("straight");
    DemoSummary uninterrupted = ShapeWorldDemo.run(options(straight), null);
    assertThat(uninterrupted.pretrainStepsRun()).isEqualTo(12);
    assertThat(Files.readAllBytes(straight.resolve("pretrained.safetensors"))).isEqualTo(bytes);
    assertThat(resumed.baselineReward()).isEqualTo(uninterrupted.baselineReward());
    assertThat(resumed.baselineEntropy()).isEqualTo(uninterrupted.baselineEntropy());
    assertThat(resumed.finalReward()).isEqualTo(uninterrupted.finalReward());
    List<JsonNode> straightLines = metrics(straight);
    for (int i = 0; i < GRPO_STEPS; i++) {
      for (String k : List.of("reward_mean", "kl", "entropy")) {
        assertThat(lines.get(i).get(k).asDouble()).as("step %d %s", i + 1, k)
            .isEqualTo(straightLines.get(i).get(k).asDouble());
      }
    }
  }
}
