package io.github.argrpo.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --out} on a used folder, end to end on the tiny model; and the files a run now leaves. */
class RunHygieneTest {

  @Test
  void aUsedFolderResumesOnlyTheSameExperiment(@TempDir Path dir) throws IOException {
    Path config = TinyRun.write(dir, false);
    String run = dir.resolve("run").toString();
    Cli.Result first = Cli.run("train", "-c", config.toString(), "--out", run, "--no-progress");
    assertThat(first.code()).isZero();
    try (Stream<Path> files = Files.list(Path.of(run))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("events.out.tfevents."))
          .contains("reward_components.png", "reward_curve.png", "config.yaml").doesNotContain("run.yaml");
    }

    Cli.Result otherSeed = Cli.run("train", "-c", config.toString(), "--out", run, "--no-progress", "--set", "trainer.seed=4");
    assertThat(otherSeed.code()).isEqualTo(2);
    assertThat(otherSeed.errorLines()).singleElement().asString().contains("trainer.seed: 3 -> 4").contains("--resume");

    Cli.Result forced = Cli.run("train", "-c", config.toString(), "--out", run, "--no-progress", "--set", "trainer.seed=4",
        "--resume");
    assertThat(forced.code()).isZero();

    Cli.Result fresh = Cli.run("train", "-c", config.toString(), "--out", run, "--no-progress", "--fresh");
    assertThat(fresh.code()).isEqualTo(2);
    assertThat(fresh.errorLines()).singleElement().asString().contains("--fresh").contains("not empty");

    Cli.Result both = Cli.run("train", "-c", config.toString(), "--out", run, "--resume", "--fresh");
    assertThat(both.code()).isEqualTo(2);
  }
}
