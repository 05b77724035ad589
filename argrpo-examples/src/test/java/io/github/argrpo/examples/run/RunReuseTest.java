package io.github.argrpo.examples.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.config.ConfigException;

/** Reusing a run folder: same config resumes, another config stops naming the keys, --resume and --fresh. */
class RunReuseTest {

  private static final String SAVED = "# resolved from x.yaml\nmodel: {device: cpu, precision: fp32}\n"
      + "trainer: {steps: 2, seed: 3, grpo: {learning_rate: 1.0e-5}}\nrewards: [{name: clip}, {name: hps, weight: 1.0}]\n";

  @TempDir
  Path dir;

  @Test
  void differingKeysAreNamedWithBothValues() {
    String now = "model: {device: cpu, precision: bf16}\n"
        + "trainer: {steps: 300, seed: 4, grpo: {learning_rate: 1.0e-5}}\nrewards: [{name: clip}, {name: maniqa}]\n";
    assertThat(RunReuse.differingKeys(SAVED, now)).containsExactly("model.precision: fp32 -> bf16",
        "rewards[1].name: hps -> maniqa", "rewards[1].weight: 1.0 -> (absent)", "trainer.seed: 3 -> 4");
  }

  @Test
  void theSameConfigWrittenDifferentlyAgrees() {
    String now = "trainer:\n  seed: 3\n  steps: 2\n  grpo:\n    learning_rate: 1.0e-5\nmodel:\n  precision: fp32\n  device: cpu\n"
        + "rewards:\n  - name: clip\n  - {name: hps, weight: 1.0}\n";
    assertThat(RunReuse.differingKeys(SAVED, now)).isEmpty();
  }

  private Path savedRun() throws IOException {
    Path run = Files.createDirectories(dir.resolve("run"));
    Files.writeString(run.resolve(RunReuse.SAVED_CONFIG), SAVED);
    return run;
  }

  @Test
  void anotherConfigStopsUnlessResumeIsForced() throws IOException {
    Path run = savedRun();
    String other = SAVED.replace("seed: 3", "seed: 9");
    assertThatThrownBy(() -> RunReuse.check(run, other, RunReuse.Mode.CHECK)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("trainer.seed: 3 -> 9").hasMessageContaining("--resume");
    assertThatCode(() -> RunReuse.check(run, other, RunReuse.Mode.RESUME)).doesNotThrowAnyException();
    assertThatCode(() -> RunReuse.check(run, SAVED.replace("steps: 2", "steps: 5"), RunReuse.Mode.CHECK))
        .doesNotThrowAnyException();
  }

  @Test
  void freshRefusesAnyNonEmptyFolder() throws IOException {
    Path run = savedRun();
    assertThatThrownBy(() -> RunReuse.check(run, SAVED, RunReuse.Mode.FRESH)).hasMessageContaining("--fresh")
        .hasMessageContaining("not empty");
    assertThatCode(() -> RunReuse.check(dir.resolve("new"), SAVED, RunReuse.Mode.FRESH)).doesNotThrowAnyException();
    assertThatCode(() -> RunReuse.check(Files.createDirectories(dir.resolve("empty")), SAVED, RunReuse.Mode.FRESH))
        .doesNotThrowAnyException();
  }

  @Test
  void aRunWithoutSavedConfigCannotBeComparedSoItStops() throws IOException {
    Path run = Files.createDirectories(dir.resolve("old"));
    Files.writeString(run.resolve("metrics.jsonl"), "{\"step\":1}\n");
    assertThatThrownBy(() -> RunReuse.check(run, SAVED, RunReuse.Mode.CHECK)).hasMessageContaining("without config.yaml");
  }
}
