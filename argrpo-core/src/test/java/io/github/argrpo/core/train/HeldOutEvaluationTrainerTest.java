package io.github.argrpo.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.condition.ClassCondition;
import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.eval.EvalConfig;
import io.github.argrpo.core.eval.HeldOutClasses;
import io.github.argrpo.core.eval.HeldOutEvaluator;
import io.github.argrpo.core.eval.ImageMetric;
import io.github.argrpo.core.grpo.AdamWGrpoOptimizer;
import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;
import io.github.argrpo.core.toy.PaletteTokenizer;
import io.github.argrpo.core.toy.ToyPolicy;

/** The trainer's held-out evaluation: schedule, eval/ metrics, the best/ checkpoint, held-out classes. */
class HeldOutEvaluationTrainerTest {

  private static final int CLASSES = 4;
  private static final int COLOURS = 6;

  /** Records the classes the training reward saw. */
  private static final class Spy implements RewardFunction {
    final RewardFunction inner;
    final Set<Integer> seen = new HashSet<>();

    Spy(RewardFunction inner) {
      this.inner = inner;
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public synchronized RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
      conditions.forEach(c -> seen.add(((ClassCondition) c).label()));
      return inner.score(images, conditions);
    }
  }

  @Test
  void evaluatesOnScheduleAndPointsBestAtTheBestEvaluatedStep(@TempDir Path dir) throws Exception {
    TrainerConfig cfg = TrainerConfig.builder().steps(12).conditionsPerStep(4).groupSize(4).seed(7)
        .sampling(SamplingConfig.arGrpo()).grpo(GrpoConfig.builder().learningRate(0.05).beta(0.02).build())
        .checkpointEvery(0).keepCheckpoints(1).sampleEvery(0).sampleConditions(2).samplesPerCondition(2).build();
    HeldOutClasses split = new HeldOutClasses(CLASSES, List.of(3));
    try (ToyPolicy p = new ToyPolicy(CLASSES, 16, COLOURS, 1); PaletteTokenizer tok = new PaletteTokenizer(COLOURS, 2);
        TargetColourReward trainReward = new TargetColourReward(tok, 0);
        TargetColourReward heldOutScore = new TargetColourReward(tok, 0)) {
      Spy spy = new Spy(trainReward);
      HeldOutEvaluator ev = new HeldOutEvaluator(new EvalConfig(4, 6, 99L, "target_colour", true, 0),
          split.heldOutConditions(), List.of(ImageMetric.meanOf(heldOutScore)));
      try (GrpoTrainer t = new GrpoTrainer(cfg, p, tok, spy, split.trainingSource(), RunFolder.create(dir))) {
        t.withHeldOutEvaluation(ev).run();
      }
      // the held-out class never reached the training reward
      assertThat(spy.seen).containsExactlyInAnyOrder(0, 1, 2);
      // eval/ values on steps 4, 8, 12 only
      List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
      assertThat(lines).hasSize(12);
      Pattern v = Pattern.compile("\"eval/target_colour\"\\s*:\\s*([-0-9.eE]+)");
      List<Integer> evalSteps = new ArrayList<>();
      double bestValue = Double.NEGATIVE_INFINITY;
      int bestStep = -1;
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = v.matcher(lines.get(i));
        if (m.find()) {
          evalSteps.add(i + 1);
          double x = Double.parseDouble(m.group(1));
          if (x > bestValue) {
            bestValue = x;
            bestStep = i + 1;
          }
        }
      }
      assertThat(evalSteps).containsExactly(4, 8, 12);
      // best/ is the checkpoint of the best logged value (a checkpoint was written for it although
      // checkpoint.every is 0), and it loads like a checkpoint folder
      String best = Files.readString(dir.resolve("best/best.json"));
      assertThat(best).contains("\"step\": " + bestStep);
      assertThat(dir.resolve("best/policy.pt")).isRegularFile();
      assertThat(dir.resolve("best/trainer.json")).isRegularFile();
      try (ToyPolicy fresh = new ToyPolicy(CLASSES, 16, COLOURS, 5);
          AdamWGrpoOptimizer opt = new AdamWGrpoOptimizer(fresh, GrpoConfig.arGrpoPaper())) {
        new Checkpointer(dir.resolve("checkpoints"), 1).load(new Checkpointer.Saved(bestStep, 7L, dir.resolve("best"), null), fresh, opt);
      }
    }
  }
}
