package io.github.argrpo.examples.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.argrpo.core.config.ConfigBinding;

/** The run config's eval: section. */
class EvalSpecTest {

  private static EvalSpec parse(String yaml, int classes) {
    ObjectNode root = ConfigBinding.parse(yaml, "test");
    return EvalSpec.of(ConfigBinding.bind(root.get("eval"), EvalSection.class, EvalSection.defaults(), "eval"), classes);
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
        .hasMessageContaining("eval.mode must be one of min, max, got 'best'");
    assertThatThrownBy(() -> parse("eval: {every: 5, held_out: [1], metrics: [{name: sharpness}], colour: 3}", 10))
        .hasMessageContaining("eval.colour");
    assertThatThrownBy(() -> parse("eval: {every: 5, held_out: [1, x], metrics: [{name: sharpness}]}", 10))
        .hasMessageContaining("eval.held_out[1] must be an integer, got 'x'");
    assertThat(List.of(parse("eval: {every: 5, held_out_prompts: 2, metrics: [{name: sharpness}]}", 0).heldOutPrompts()))
        .containsExactly(2);
  }
}
