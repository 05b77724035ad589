package io.github.argrpo.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.config.ConfigBinding;
import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.grpo.ImportanceSamplingLevel;
import io.github.argrpo.core.grpo.LossAggregation;
import io.github.argrpo.core.grpo.WeightDecayScope;

/** YAML in, resolved YAML out, errors that name the key. */
class TrainerConfigTest {

  @Test
  void thePaperPresetHasThePaperValues() {
    TrainerConfig c = TrainerConfig.arGrpoPaper();
    assertThat(c.groupSize()).isEqualTo(8);
    assertThat(c.conditionsPerStep()).isEqualTo(8);
    assertThat(c.batchSize()).isEqualTo(64);
    assertThat(c.sampling().temperature()).isEqualTo(1.0);
    assertThat(c.sampling().topK()).isZero();
    assertThat(c.sampling().topP()).isEqualTo(1.0);
    assertThat(c.sampling().cfgScale()).isEqualTo(2.0);
    assertThat(c.grpo().beta()).isEqualTo(0.1);
    assertThat(c.grpo().epsilonLow()).isEqualTo(0.2);
    assertThat(c.grpo().learningRate()).isEqualTo(1e-5);
    assertThat(c.grpo().adamBeta1()).isEqualTo(0.9);
    assertThat(c.grpo().adamBeta2()).isEqualTo(0.95);
    assertThat(c.grpo().weightDecay()).isEqualTo(0.05);
    assertThat(c.grpo().maxGradNorm()).isEqualTo(1.0);
  }

  private static TrainerConfig read(String yaml, TrainerConfig base) {
    return TrainerConfig.fromYaml(ConfigBinding.parse(yaml, "test"), base);
  }

  @Test
  void readsYamlAndOverridesAndRoundTrips() {
    ObjectNode n = ConfigBinding.parse("steps: 12\ngroup_size: 4\ngrpo:\n  beta: 0.05\n  loss_aggregation: dr_grpo\n", "test");
    ConfigBinding.override(n, "sampling.cfg_scale=3.5");
    ConfigBinding.override(n, "grpo.iterations=2");
    TrainerConfig c = TrainerConfig.fromYaml(n, TrainerConfig.arGrpoPaper());
    assertThat(c.steps()).isEqualTo(12);
    assertThat(c.groupSize()).isEqualTo(4);
    assertThat(c.grpo().beta()).isEqualTo(0.05);
    assertThat(c.grpo().iterations()).isEqualTo(2);
    assertThat(c.grpo().lossAggregation()).isEqualTo(LossAggregation.DR_GRPO);
    assertThat(c.sampling().cfgScale()).isEqualTo(3.5);
    // keys the YAML left out keep the preset's values (the paper's)
    assertThat(c.grpo().adamBeta2()).isEqualTo(0.95);
    assertThat(c.keepCheckpoints()).isEqualTo(6);
    TrainerConfig d = TrainerConfig.fromYaml(c.toYaml(), TrainerConfig.builder().steps(1).groupSize(3).build());
    assertThat(d).isEqualTo(c.toBuilder().build());
    assertThat(d.toYaml()).isEqualTo(c.toYaml());
    assertThat(d.grpo().delta()).isNaN();
  }

  @Test
  void theResolvedYamlSpellsEveryKeyAsTheDocsDo() {
    // the layout users read in docs/configuration.md and the bundled configs, written out by hand
    String y = TrainerConfig.arGrpoPaper().toYaml();
    assertThat(y).contains("steps: 400\n").contains("conditions_per_step: 8\n").contains("max_rewards_in_flight: 2\n")
        .contains("sampling:\n  temperature: 1.0\n  top_k: 0\n  top_p: 1.0\n  cfg_scale: 2.0\n  cfg_interval: -1\n")
        .contains("  delta: nan\n").contains("  loss_aggregation: bnpo\n").contains("  scale_rewards: group\n")
        .contains("  unbiased_std: true\n").contains("  advantage_epsilon: 1.0E-4\n").contains("  adam_beta2: 0.95\n")
        .contains("checkpoint:\n  every: 100\n  keep: 6\n")
        .contains("samples:\n  every: 40\n  conditions: 8\n  per_condition: 4\n  seed: 1234\n")
        .doesNotContain("seed: 0\n  ").doesNotContain("advantages");
  }

  @Test
  void nonFiniteNumbersReadInEverySpelling() {
    for (String nan : new String[] {"nan", "NaN", "\".nan\""}) {
      assertThat(read("grpo: {delta: " + nan + "}\n", TrainerConfig.builder().grpo(
          GrpoConfig.builder().delta(2.0).build()).build()).grpo().delta()).as(nan).isNaN();
    }
    assertThat(read("grpo: {max_grad_norm: -inf}\n", TrainerConfig.arGrpoPaper()).grpo().maxGradNorm()).isNegative();
    assertThatThrownBy(() -> read("grpo: {delta: .nan}\n", TrainerConfig.arGrpoPaper()))
        .hasMessageContaining("write nan, inf or -inf");
    assertThat(read("grpo: {max_grad_norm: inf}\n", TrainerConfig.arGrpoPaper()).grpo().maxGradNorm()).isInfinite();
  }

  @Test
  void importanceSamplingLevelAndWeightDecayScopeReadWriteAndDefaultToTokenAndAll() {
    TrainerConfig base = TrainerConfig.arGrpoPaper();
    // defaults: TRL's token-level ratio, weight decay on every parameter (the paper, HF AdamW)
    assertThat(base.grpo().importanceSamplingLevel()).isEqualTo(ImportanceSamplingLevel.TOKEN);
    assertThat(base.grpo().weightDecayScope()).isEqualTo(WeightDecayScope.ALL);
    TrainerConfig c = read("grpo:\n  importance_sampling_level: sequence\n  weight_decay_scope: MATRICES\n", base);
    assertThat(c.grpo().importanceSamplingLevel()).isEqualTo(ImportanceSamplingLevel.SEQUENCE);
    assertThat(c.grpo().weightDecayScope()).isEqualTo(WeightDecayScope.MATRICES);
    assertThat(c.toYaml()).contains("  importance_sampling_level: sequence\n").contains("  weight_decay_scope: matrices\n");
    TrainerConfig d = TrainerConfig.fromYaml(c.toYaml(), base);
    assertThat(d.grpo()).isEqualTo(c.grpo());
    assertThatThrownBy(() -> read("grpo: {weight_decay_scope: biases}\n", base))
        .hasMessageContaining("grpo.weight_decay_scope must be one of all, matrices");
    assertThatThrownBy(() -> read("grpo: {importance_sampling_level: group}\n", base))
        .hasMessageContaining("grpo.importance_sampling_level must be one of token, sequence");
  }

  @Test
  void unknownKeysAndBadValuesNameTheKey() {
    TrainerConfig paper = TrainerConfig.arGrpoPaper();
    assertThatThrownBy(() -> read("steps: 3\ngrpo:\n  betta: 0.1\n", paper)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("'grpo.betta'").hasMessageContaining("allowed here: beta, epsilon_low, epsilon_high");
    // every unknown key at once, each with the keys of its own level (the unwrapped advantage keys included)
    assertThatThrownBy(() -> read("stepz: 3\ncheckpoint: {evry: 1}\ngrpo: {scale_reward: none}\n", paper))
        .hasMessageContaining("unknown configuration keys 'stepz'")
        .hasMessageContaining("'checkpoint.evry' (allowed here: every, keep)")
        .hasMessageContaining("'grpo.scale_reward' (allowed here: beta,").hasMessageContaining("scale_rewards, unbiased_std");
    // the sampling seed is derived from the run's seed, not an option
    assertThatThrownBy(() -> read("sampling: {seed: 3}\n", paper)).hasMessageContaining("'sampling.seed'");
    assertThatThrownBy(() -> read("steps: many\n", paper)).hasMessageContaining("steps must be an integer, got 'many'");
    assertThatThrownBy(() -> read("steps: 2.5\n", paper)).hasMessageContaining("steps must be an integer, got '2.5'");
    assertThatThrownBy(() -> read("grpo: {beta: lots}\n", paper)).hasMessageContaining("grpo.beta must be a number, got 'lots'");
    assertThatThrownBy(() -> read("grpo: {unbiased_std: maybe}\n", paper))
        .hasMessageContaining("grpo.unbiased_std must be true or false, got 'maybe'");
    assertThatThrownBy(() -> read("grpo: 3\n", paper)).hasMessageContaining("grpo must be a section");
    assertThatThrownBy(() -> read("grpo: {beta: -1}\n", paper)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("grpo: beta must be finite and >= 0");
    assertThatThrownBy(() -> read("grpo: {loss_aggregation: mean}\n", paper))
        .hasMessageContaining("grpo.loss_aggregation must be one of grpo, bnpo, dr_grpo");
    assertThatThrownBy(() -> read("group_size: 1\n", paper)).hasMessageContaining("group_size must be >= 2");
    assertThatThrownBy(() -> read("checkpoint: {keep: 0}\n", paper)).hasMessageContaining("checkpoint.keep must be >= 1");
    assertThatThrownBy(() -> ConfigBinding.parse("steps: [1, 2\n", "bad.yaml")).hasMessageContaining("malformed YAML in bad.yaml");
    assertThatThrownBy(() -> ConfigBinding.override(ConfigBinding.parse("", "t"), "nonsense"))
        .hasMessageContaining("key.path=value");
  }

  @Test
  void anExplicitNullKeepsThePresetValue() {
    assertThat(read("steps: ~\ngrpo: {beta: null}\n", TrainerConfig.arGrpoPaper())).isEqualTo(TrainerConfig.arGrpoPaper());
  }
}
