package io.github.argrpo.core.train;

import static com.google.common.base.Preconditions.checkState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code metrics.jsonl}: truncation on resume never loses the log. */
class MetricsLogTest {

  private static StepRecord rec(int step) {
    return new StepRecord(step, Map.of("reward_mean", step / 10.0));
  }

  @Test
  void truncationKeepsTheRecordsUpToTheStep(@TempDir Path dir) throws Exception {
    MetricsLog log = new MetricsLog(dir.resolve("metrics.jsonl"));
    for (int s = 1; s <= 4; s++) {
      log.append(rec(s));
    }
    log.truncateAfter(2);
    assertThat(log.readAll()).extracting(StepRecord::step).containsExactly(1, 2);
    assertThat(log.readAll().get(1).get("reward_mean")).isEqualTo(0.2);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("metrics.jsonl");
    }
  }

  @Test
  void aFailureWhileRewritingLeavesTheOldLogWhole(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("metrics.jsonl");
    MetricsLog log = new MetricsLog(file);
    for (int s = 1; s <= 3; s++) {
      log.append(rec(s));
    }
    List<String> before = Files.readAllLines(file);
    // the second record cannot be serialised: the rewrite fails half-way
    MetricsLog failing = new MetricsLog(file, r -> {
      checkState(r.step() != 2, "disk full");
      return MetricsLog.toJson(r);
    });
    assertThatThrownBy(() -> failing.truncateAfter(2)).hasMessageContaining("disk full");
    assertThat(Files.readAllLines(file)).isEqualTo(before);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("metrics.jsonl");
    }
  }
}
