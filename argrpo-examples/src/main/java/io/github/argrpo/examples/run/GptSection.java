package io.github.argrpo.examples.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The keys of a run config's {@code model.gpt} section, as written in the file ({@link ModelSpec} turns
 * them into a {@code GptConfig}). A null value means "the preset's", so that a custom shape overrides
 * only what it names.
 */
public record GptSection(
    @JsonProperty("preset") @JsonPropertyDescription("LlamaGen size: B, L, XL, XXL, 3B (required)") String preset,
    @JsonProperty("type") @JsonPropertyDescription("c2i (class-to-image) or t2i (text-to-image)") String type,
    @JsonProperty("image_size") @JsonPropertyDescription("pixels per side, a multiple of the VQ downsample factor "
        + "(256, 384, 512)")
    int imageSize,
    @JsonProperty("num_classes") @JsonPropertyDescription("c2i: class count of the class table (ImageNet: 1000)")
    Integer numClasses,
    @JsonProperty("cls_token_num") @JsonPropertyDescription("t2i: caption tokens (LlamaGen: 120)") Integer clsTokenNum,
    @JsonProperty("caption_dim") @JsonPropertyDescription("t2i: width of the text features (FLAN-T5-XL: 2048)")
    Integer captionDim,
    @JsonProperty("dropout") @JsonPropertyDescription("dropout of attention, residual and token paths (the AR-GRPO "
        + "scripts fine-tune with 0)")
    double dropout,
    @JsonProperty("class_dropout_prob") @JsonPropertyDescription("> 0 keeps the null-class row of the released class "
        + "tables (trained with 0.1); GRPO scores in eval mode, where no class is dropped")
    double classDropoutProb,
    @JsonProperty("dim") @JsonPropertyDescription("custom shape: model width (default: the preset's)") Integer dim,
    @JsonProperty("n_layer") @JsonPropertyDescription("custom shape: transformer layers") Integer nLayer,
    @JsonProperty("n_head") @JsonPropertyDescription("custom shape: attention heads") Integer nHead,
    @JsonProperty("vocab_size") @JsonPropertyDescription("image tokens, at most the VQ codebook size (default: the "
        + "codebook size)")
    Integer vocabSize) {

  /** The defaults: c2i at 256 px, dropout 0, class dropout 0.1, every shape from the preset. */
  public static GptSection defaults() {
    return new GptSection(null, "c2i", 256, null, null, null, 0.0, 0.1, null, null, null, null);
  }
}
