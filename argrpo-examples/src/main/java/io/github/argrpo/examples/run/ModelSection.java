package io.github.argrpo.examples.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The keys of a run config's {@code model} section, as written in the file ({@link ModelSpec} checks them). */
public record ModelSection(
    @JsonProperty("gpt") GptSection gpt,
    @JsonProperty("weights") @JsonPropertyDescription("the GPT checkpoint: official .pt, .safetensors, a run "
        + "checkpoint folder or a run folder (required)")
    String weights,
    @JsonProperty("precision") @JsonPropertyDescription("fp32 or bf16 weights and activations, or bf16-mixed: fp32 "
        + "weights with the GPT's passes under bf16 autocast (AR-GRPO's c2i mixed precision; on CUDA also TF32)") String precision,
    @JsonProperty("device") @JsonPropertyDescription("cpu, cuda or cuda:N") String device) {

  /** The defaults: fp32 on the CPU, no weights. */
  public static ModelSection defaults() {
    return new ModelSection(GptSection.defaults(), null, "fp32", "cpu");
  }
}
