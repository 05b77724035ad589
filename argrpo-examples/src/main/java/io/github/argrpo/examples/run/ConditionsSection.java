package io.github.argrpo.examples.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The keys of a run config's {@code conditions} section, as written in the file ({@link ConditionSpec}
 * checks which belong to the model's kind); null = not given.
 */
public record ConditionsSection(
    @JsonProperty("classes") @JsonPropertyDescription("c2i: draw from the first N classes (default: all of the "
        + "model's)")
    Integer classes,
    @JsonProperty("prompts") @JsonPropertyDescription("t2i: the prompt file, one per line (.txt) or JSON lines (.jsonl)")
    String prompts,
    @JsonProperty("features") @JsonPropertyDescription("t2i: the prompts' precomputed T5 features (argrpo encode-text)")
    String features,
    @JsonProperty("t5") @JsonPropertyDescription("t2i: a FLAN-T5 folder, to encode the prompts in this process "
        + "instead")
    String t5,
    @JsonProperty("t5_precision") @JsonPropertyDescription("t2i: the precision T5 runs in (default bf16, as LlamaGen "
        + "and AR-GRPO)")
    String t5Precision,
    @JsonProperty("padding") @JsonPropertyDescription("t2i: left (LlamaGen's, default) or right (AR-GRPO's) caption "
        + "padding")
    String padding) {

  /** Nothing given. */
  public static ConditionsSection defaults() {
    return new ConditionsSection(null, null, null, null, null, null);
  }
}
