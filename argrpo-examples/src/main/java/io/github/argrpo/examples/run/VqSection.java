package io.github.argrpo.examples.run;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The keys of a run config's {@code vq} section, as written in the file ({@link VqSpec} turns them into a
 * {@code VqConfig}); a null shape value means the preset's.
 */
public record VqSection(
    @JsonProperty("preset") @JsonPropertyDescription("VQ-16 or VQ-8 (LlamaGen's downsample-16 / -8 tokenizers)")
    String preset,
    @JsonProperty("weights") @JsonPropertyDescription("vq_ds16_c2i.pt, or vq_ds16_t2i.pt for the text-to-image GPTs "
        + "(required)")
    String weights,
    @JsonProperty("channels") @JsonPropertyDescription("custom shape: base channels") Integer channels,
    @JsonProperty("channel_multipliers") @JsonPropertyDescription("custom shape: channel multiplier per resolution")
    List<Integer> channelMultipliers,
    @JsonProperty("z_channels") @JsonPropertyDescription("custom shape: latent channels") Integer zChannels,
    @JsonProperty("num_res_blocks") @JsonPropertyDescription("custom shape: residual blocks per resolution")
    Integer numResBlocks,
    @JsonProperty("codebook_size") @JsonPropertyDescription("custom shape: codebook entries") Integer codebookSize,
    @JsonProperty("codebook_embed_dim") @JsonPropertyDescription("custom shape: codebook vector width")
    Integer codebookEmbedDim,
    @JsonProperty("norm_groups") @JsonPropertyDescription("custom shape: GroupNorm groups") Integer normGroups) {

  /** The defaults: VQ-16, no weights, the preset's shape. */
  public static VqSection defaults() {
    return new VqSection("VQ-16", null, null, null, null, null, null, null, null);
  }
}
