package io.github.argrpo.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code argrpo demo --hackable} with tiny budgets: GRPO trains on colour fidelity alone, the held-out
 * guard scores shape correctness on the held-out classes at every evaluation step and points best/ at
 * the best one. Expectations are read from the run folder's own metrics.jsonl, not recomputed.
 */
class HackableDemoTest {

  @Test
  void trainsOnColourAloneWhileTheGuardScoresHeldOutShapesAndKeepsTheBest(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    DemoOptions o = new DemoOptions(run, 3L, 12, 8, 3e-3, 4, 2, 2, 5e-4, 0.02, 2.0, 1, false, true);
    ShapeWorldDemo.run(o, null);
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> steps = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      steps.add(json.readTree(line));
    }
    assertThat(steps).hasSize(4);
    int bestStep = -1;
    double best = Double.NEGATIVE_INFINITY;
    for (JsonNode s : steps) {
      // the training reward is the colour component alone
      assertThat(s.get("reward_mean").asDouble()).isCloseTo(s.get("reward/colour").asDouble(), within(1e-9));
      // every step is an evaluation step at this budget (every max(1, 4 / 40) = 1 step)
      assertThat(s.has("eval/shape_world/shape")).isTrue();
      double v = s.get("eval/shape_world/shape").asDouble();
      if (v > best) {
        best = v;
        bestStep = s.get("step").asInt();
      }
    }
    JsonNode b = json.readTree(run.resolve("best/best.json").toFile());
    assertThat(b.get("step").asInt()).isEqualTo(bestStep);
    assertThat(b.get("value").asDouble()).isEqualTo(best);
    assertThat(run.resolve("best/policy.pt")).isRegularFile();
  }
}
