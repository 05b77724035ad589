package io.github.argrpo.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.config.ConfigNode;
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

  @Test
  void readsYamlAndOverridesAndRoundTrips() {
    ConfigNode n = ConfigNode.parse("steps: 12\ngroup_size: 4\ngrpo:\n  beta: 0.05\n  loss_aggregation: dr_grpo\n", "test");
    n.override("sampling.cfg_scale=3.5").override("grpo.iterations=2");
    TrainerConfig c = TrainerConfig.fromConfig(n, TrainerConfig.arGrpoPaper());
    n.finish();
    assertThat(c.steps()).isEqualTo(12);
    assertThat(c.groupSize()).isEqualTo(4);
    assertThat(c.grpo().beta()).isEqualTo(0.05);
    assertThat(c.grpo().iterations()).isEqualTo(2);
    assertThat(c.grpo().lossAggregation()).isEqualTo(LossAggregation.DR_GRPO);
    assertThat(c.sampling().cfgScale()).isEqualTo(3.5);
    ConfigNode again = ConfigNode.parse(c.toYaml(), "resolved");
    TrainerConfig d = TrainerConfig.fromConfig(again, TrainerConfig.builder().steps(1).build());
    again.finish();
    assertThat(d.toYaml()).isEqualTo(c.toYaml());
    assertThat(d.grpo().delta()).isNaN();
  }

  @Test
  void importanceSamplingLevelAndWeightDecayScopeReadWriteAndDefaultToTokenAndAll() {
    TrainerConfig base = TrainerConfig.arGrpoPaper();
    // defaults: TRL's token-level ratio, weight decay on every parameter (the paper, HF AdamW)
    assertThat(base.grpo().importanceSamplingLevel()).isEqualTo(ImportanceSamplingLevel.TOKEN);
    assertThat(base.grpo().weightDecayScope()).isEqualTo(WeightDecayScope.ALL);
    ConfigNode n = ConfigNode.parse("grpo:\n  importance_sampling_level: sequence\n  weight_decay_scope: matrices\n", "t");
    TrainerConfig c = TrainerConfig.fromConfig(n, base);
    n.finish();
    assertThat(c.grpo().importanceSamplingLevel()).isEqualTo(ImportanceSamplingLevel.SEQUENCE);
    assertThat(c.grpo().weightDecayScope()).isEqualTo(WeightDecayScope.MATRICES);
    assertThat(c.toYaml()).contains("  importance_sampling_level: sequence\n").contains("  weight_decay_scope: matrices\n");
    ConfigNode again = ConfigNode.parse(c.toYaml(), "resolved");
    TrainerConfig d = TrainerConfig.fromConfig(again, base);
    again.finish();
    assertThat(d.grpo()).isEqualTo(c.grpo());
    assertThatThrownBy(() -> TrainerConfig.fromConfig(ConfigNode.parse("grpo: {weight_decay_scope: biases}\n", "t"), base))
        .hasMessageContaining("grpo.weight_decay_scope must be one of all, matrices");
    assertThatThrownBy(() -> TrainerConfig.fromConfig(ConfigNode.parse("grpo: {importance_sampling_level: group}\n", "t"),
        base)).hasMessageContaining("grpo.importance_sampling_level must be one of token, sequence");
  }

  @Test
  void unknownKeysAndBadValuesNameTheKey() {
    ConfigNode typo = ConfigNode.parse("steps: 3\ngrpo:\n  betta: 0.1\n", "test");
    TrainerConfig.fromConfig(typo, TrainerConfig.arGrpoPaper());
    assertThatThrownBy(typo::finish).isInstanceOf(ConfigException.class).hasMessageContaining("'grpo.betta'")
        .hasMessageContaining("beta");
    assertThatThrownBy(() -> TrainerConfig.fromConfig(ConfigNode.parse("steps: many\n", "t"), TrainerConfig.arGrpoPaper()))
        .hasMessageContaining("steps must be an integer, got 'many'");
    assertThatThrownBy(() -> TrainerConfig.fromConfig(ConfigNode.parse("grpo: {beta: -1}\n", "t"), TrainerConfig.arGrpoPaper()))
        .hasMessageContaining("grpo: beta must be finite and >= 0");
    assertThatThrownBy(() -> TrainerConfig.fromConfig(ConfigNode.parse("grpo: {loss_aggregation: mean}\n", "t"),
        TrainerConfig.arGrpoPaper())).hasMessageContaining("grpo.loss_aggregation must be one of grpo, bnpo, dr_grpo");
    assertThatThrownBy(() -> TrainerConfig.fromConfig(ConfigNode.parse("group_size: 1\n", "t"), TrainerConfig.arGrpoPaper()))
        .hasMessageContaining("group_size must be >= 2");
    assertThatThrownBy(() -> ConfigNode.parse("steps: [1, 2\n", "bad.yaml")).hasMessageContaining("malformed YAML in bad.yaml");
    assertThatThrownBy(() -> ConfigNode.empty().override("nonsense")).hasMessageContaining("key.path=value");
  }
}
