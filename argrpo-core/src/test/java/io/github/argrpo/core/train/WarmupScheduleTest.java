package io.github.argrpo.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.distributed.DistributedContext;
import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.toy.PaletteTokenizer;
import io.github.argrpo.core.toy.ToyPolicy;

/** {@code grpo.warmup_steps}: Hugging Face's linear warmup, step by step through the trainer. */
class WarmupScheduleTest {

  @Test
  void theTrainerWarmsTheLearningRateUpAsHuggingFaceDoes(@TempDir Path dir) {
    // read from YAML like any other option: the one declaration in GrpoConfig is all it took
    TrainerConfig cfg = TrainerConfig.fromYaml("steps: 6\nconditions_per_step: 1\ngroup_size: 2\n"
        + "grpo: {beta: 0, learning_rate: 0.01, warmup_steps: 4}\ncheckpoint: {every: 0, keep: 1}\n"
        + "samples: {every: 0, conditions: 1, per_condition: 1}\n", TrainerConfig.arGrpoPaper());
    assertThat(cfg.grpo().warmupSteps()).isEqualTo(4);
    PlainSgdGrpoOptimizer[] made = new PlainSgdGrpoOptimizer[1];
    try (ToyPolicy p = new ToyPolicy(2, 4, 4, 5); PaletteTokenizer tok = new PaletteTokenizer(4, 1);
        TargetColourReward r = new TargetColourReward(tok, 0);
        GrpoTrainer t = new GrpoTrainer(cfg, p, tok, r, ConditionSource.classes(2), RunFolder.create(dir),
            DistributedContext.single(), (policy, c) -> made[0] = new PlainSgdGrpoOptimizer(policy, c))) {
      t.run();
    }
    // get_constant_schedule_with_warmup: lambda(k) = k / 4 for optimizer step k = 0, 1, 2, 3, then 1
    assertThat(made[0].ratesUsed).hasSize(6);
    double[] want = {0.0, 0.0025, 0.005, 0.0075, 0.01, 0.01};
    for (int i = 0; i < want.length; i++) {
      assertThat(made[0].ratesUsed.get(i)).as("step %d", i + 1).isCloseTo(want[i], within(1e-15));
    }
  }

  @Test
  void withoutWarmupTheOptimizersRateIsLeftAlone(@TempDir Path dir) {
    TrainerConfig cfg = TrainerConfig.builder().steps(2).conditionsPerStep(1).groupSize(2)
        .grpo(GrpoConfig.builder().beta(0).learningRate(0.01).build()).checkpointEvery(0).keepCheckpoints(1)
        .sampleEvery(0).sampleConditions(1).samplesPerCondition(1).build();
    PlainSgdGrpoOptimizer[] made = new PlainSgdGrpoOptimizer[1];
    try (ToyPolicy p = new ToyPolicy(2, 4, 4, 5); PaletteTokenizer tok = new PaletteTokenizer(4, 1);
        TargetColourReward r = new TargetColourReward(tok, 0);
        GrpoTrainer t = new GrpoTrainer(cfg, p, tok, r, ConditionSource.classes(2), RunFolder.create(dir),
            DistributedContext.single(), (policy, c) -> {
              made[0] = new PlainSgdGrpoOptimizer(policy, c);
              made[0].setLearningRate(0.5);  // a rate set by the caller survives: nothing schedules it
              return made[0];
            })) {
      t.run();
    }
    assertThat(made[0].ratesUsed).containsExactly(0.5, 0.5);
    assertThatThrownBy(() -> GrpoConfig.builder().warmupSteps(-1).build()).hasMessageContaining("warmupSteps must be >= 0");
  }
}
