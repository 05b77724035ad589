package io.github.argrpo.examples.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.argrpo.core.config.ConfigNode;

/** The run config's eval: section. */
class EvalSpecTest {

  private static EvalSpec parse(String yaml, int classes) {
    ConfigNode root = ConfigNode.parse(yaml, "test");
    EvalSpec e = EvalSpec.fromConfig(root.section("eval"), classes);
    root.finish();
    return e;
  }

  @Test
  void readsTheScheduleTheHeldOutClassesAndTheMetrics() {
    EvalSpec e = parse("eval: {every: 20, samples_per_condition: 3, seed: 9, held_out_classes: 4, select: sharpness,"
        + " mode: max, metrics: [{name: sharpness, options: {tau: 0.01}}]}", 1000);
    assertThat(e.enabled()).isTrue();
    assertThat(e.config().every()).isEqualTo(20);
    assertThat(e.config().higherIsBetter()).isTrue();
    // floor(i * 1000 / 4) for i = 0..3
    assertThat(e.heldOutClasses()).containsExactly(0, 250, 500, 750);
    assertThat(e.metrics()).hasSize(1);
    assertThat(e.metrics().get(0).name()).isEqualTo("sharpness");
  }

  @Test
  void withoutASectionItIsOff() {
    assertThat(parse("{}\n", 10).enabled()).isFalse();
  }

  @Test
  void refusesWhatCannotWork() {
    assertThatThrownBy(() -> parse("eval: {every: 5, metrics: [{name: sharpness}]}", 10))
        .hasMessageContaining("held-out classes");
    assertThatThrownBy(() -> parse("eval: {every: 5, held_out: [1, 2]}", 10)).hasMessageContaining("at least one held-out metric");
    assertThatThrownBy(() -> parse("eval: {every: 5, held_out: [12], metrics: [{name: sharpness}]}", 10))
        .hasMessageContaining("outside the model's classes");
    assertThatThrownBy(() -> parse("eval: {every: 5, held_out_prompts: 3, metrics: [{name: sharpness}]}", 10))
        .hasMessageContaining("for text-to-image models");
    assertThatThrownBy(() -> parse("eval: {every: 5, metrics: [{name: sharpness}]}", 0)).hasMessageContaining("held_out_prompts");
    assertThatThrownBy(() -> parse("eval: {every: 5, mode: best, held_out: [1], metrics: [{name: sharpness}]}", 10))
        .hasMessageContaining("min or max");
    assertThatThrownBy(() -> parse("eval: {every: 5, held_out: [1], metrics: [{name: sharpness}], colour: 3}", 10))
        .hasMessageContaining("eval.colour");
    assertThat(List.of(parse("eval: {every: 5, held_out_prompts: 2, metrics: [{name: sharpness}]}", 0).heldOutPrompts()))
        .containsExactly(2);
  }
}
