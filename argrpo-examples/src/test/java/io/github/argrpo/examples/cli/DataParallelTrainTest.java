package io.github.argrpo.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.distributed.LaunchConfig;
import io.github.argrpo.core.distributed.LocalLauncher;
import io.github.argrpo.examples.Main;

/** {@code argrpo train} as two ranks started like torchrun: both train, rank 0 writes the run folder. */
class DataParallelTrainTest {

  @TempDir
  Path dir;

  @Test
  void twoRanksTrainOneRunFolder() throws Exception {
    Path config = TinyRun.write(dir, false);
    Path run = dir.resolve("run");
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    // the library route: a LaunchConfig built in Java (the launch test below goes through the command line)
    LaunchConfig launch = LaunchConfig.builder("io.github.argrpo.examples.Main").processes(2).threadsPerRank(1)
        .env("ARGRPO_DIST_TIMEOUT_S", "120").maxRuntime(Duration.ofSeconds(240))
        .jvmArgs(List.of("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dargrpo.threads=1"))
        .args(List.of("train", "-c", config.toString(), "--out", run.toString(), "--no-progress")).build();
    int code = LocalLauncher.run(launch, lines::add);
    assertThat(code).as(String.join("\n", lines)).isZero();
    assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(2);
    assertThat(run.resolve("checkpoints/step-000002/policy.pt")).exists();
    // only rank 0 reports
    assertThat(lines.stream().filter(l -> l.contains("trained 2 steps"))).singleElement().asString().contains("[rank 0]");
  }

  @Test
  void theLaunchSubcommandRunsTrainOnTwoRanks() throws Exception {
    Path config = TinyRun.write(dir, false);
    Path run = dir.resolve("launched");
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      code = Main.run("launch", "--nproc", "2", "--threads-per-rank", "1", "--timeout-s", "120",
          "--max-time-s", "240", "--", "train", "-c", config.toString(), "--out", run.toString(), "--no-progress");
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(code).as(out).isZero();
    assertThat(out).contains("[rank 0]").contains("[rank 1]");
    assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(2);
  }
}
