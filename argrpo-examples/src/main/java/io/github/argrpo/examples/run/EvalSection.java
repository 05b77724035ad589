package io.github.argrpo.examples.run;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.github.argrpo.core.eval.EvalConfig;
import io.github.argrpo.rewards.stack.RewardSpec;

/**
 * The keys of a run config's {@code eval} section, as written in the file: the schedule and selection
 * ({@link EvalConfig}'s keys) plus the held-out conditions and metrics ({@link EvalSpec} checks them
 * against the model).
 */
public record EvalSection(
    @JsonUnwrapped EvalConfig config,
    @JsonProperty("held_out") @JsonPropertyDescription("c2i: the held-out classes themselves") List<Integer> heldOut,
    @JsonProperty("held_out_classes") @JsonPropertyDescription("c2i: hold out this many classes, spread evenly over "
        + "the range")
    int heldOutClasses,
    @JsonProperty("held_out_prompts") @JsonPropertyDescription("t2i: hold out the last N prompts of the prompt file")
    int heldOutPrompts,
    @JsonProperty("metrics") @JsonPropertyDescription("rewards (reward-stack entries) whose means are the held-out "
        + "scores, logged as eval/<label>")
    List<RewardSpec> metrics) {

  /** No evaluation. */
  public static EvalSection defaults() {
    return new EvalSection(EvalConfig.off(), List.of(), 0, 0, List.of());
  }
}
