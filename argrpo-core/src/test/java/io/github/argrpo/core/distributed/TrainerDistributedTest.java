package io.github.argrpo.core.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.train.MetricsLog;
import io.github.argrpo.core.train.StepRecord;

/**
 * The trainer data-parallel over 2 processes: it learns, rank 0 alone writes metrics and checkpoints,
 * and both ranks resume from the same checkpoint into identical replicas.
 */
class TrainerDistributedTest {

  private static int launch(Path dir, int steps, List<String> output) {
    LaunchConfig cfg = LaunchConfig.builder(DistributedTrainerWorker.class.getName()).processes(2)
        .classpath(MultiProcessDistributedTest.classpath()).jvmArgs(MultiProcessDistributedTest.childJvmArgs())
        .threadsPerRank(1).env("ARGRPO_DIST_TIMEOUT_S", "30").maxRuntime(Duration.ofSeconds(150))
        .args(List.of(dir.toString(), Integer.toString(steps))).build();
    return LocalLauncher.run(cfg, output::add);
  }

  @Test
  void twoRanksTrainWriteOnceAndResumeTogether(@TempDir Path dir) throws Exception {
    List<String> out = Collections.synchronizedList(new ArrayList<>());
    assertThat(launch(dir, 20, out)).as(String.join("\n", out)).isZero();
    assertThat(dir.resolve("checkpoints/step-000020")).isDirectory();
    out.clear();
    // a second launch with a longer budget resumes both ranks after step 20
    assertThat(launch(dir, 30, out)).as(String.join("\n", out)).isZero();
    List<StepRecord> recs = new MetricsLog(dir.resolve("metrics.jsonl")).readAll();
    assertThat(recs.stream().map(StepRecord::step).toList()).isEqualTo(IntStream.rangeClosed(1, 30).boxed().toList());
    double first = recs.subList(0, 5).stream().mapToDouble(r -> r.get("reward_mean")).average().orElseThrow();
    double last = recs.subList(25, 30).stream().mapToDouble(r -> r.get("reward_mean")).average().orElseThrow();
    assertThat(last).isGreaterThan(first * 1.5);
    assertThat(Files.readAllBytes(dir.resolve("params-rank1.bin"))).isEqualTo(Files.readAllBytes(dir.resolve("params-rank0.bin")));
  }
}
