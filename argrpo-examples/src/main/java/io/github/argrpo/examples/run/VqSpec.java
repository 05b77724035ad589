package io.github.argrpo.examples.run;

import java.nio.file.Path;
import java.util.Locale;

import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.models.vq.VqConfig;

/**
 * The {@code vq} section of a run config: LlamaGen's VQ tokenizer and its weights.
 *
 * <pre>
 * vq:
 *   preset: VQ-16                       # VQ-16 | VQ-8
 *   weights: models/vq_ds16_c2i.pt      # vq_ds16_t2i.pt for the text-to-image GPTs
 *   # custom shapes (tests): channels, channel_multipliers, z_channels, num_res_blocks,
 *   #                        codebook_size, codebook_embed_dim
 * </pre>
 *
 * @param config the architecture
 * @param weights the weights file (checked when loading)
 */
public record VqSpec(VqConfig config, Path weights) {

  /** Checks the section and builds the architecture, throwing a {@link ConfigException} naming the bad key. */
  public static VqSpec of(VqSection v) {
    String preset = v.preset() == null ? "VQ-16" : v.preset();
    VqConfig base = switch (preset.toUpperCase(Locale.ROOT).replace("_", "-")) {
      case "VQ-16" -> VqConfig.vq16();
      case "VQ-8" -> VqConfig.vq8();
      default -> throw new ConfigException("vq.preset must be VQ-16 or VQ-8, got '" + preset + "'");
    };
    VqConfig.Builder b = base.toBuilder();
    try {
      if (v.channels() != null) {
        b.channels(v.channels());
      }
      if (v.channelMultipliers() != null) {
        b.channelMultipliers(v.channelMultipliers());
      }
      if (v.zChannels() != null) {
        b.zChannels(v.zChannels());
      }
      if (v.numResBlocks() != null) {
        b.numResBlocks(v.numResBlocks());
      }
      if (v.codebookSize() != null) {
        b.codebookSize(v.codebookSize());
      }
      if (v.codebookEmbedDim() != null) {
        b.codebookEmbedDim(v.codebookEmbedDim());
      }
      if (v.normGroups() != null) {
        b.normGroups(v.normGroups());
      }
      VqConfig c = b.build();
      String w = v.weights();
      if (w == null || w.isBlank()) {
        throw new ConfigException("vq.weights is required (vq_ds16_c2i.pt or vq_ds16_t2i.pt)");
      }
      return new VqSpec(c, Path.of(w.strip()));
    } catch (ConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ConfigException("vq: " + e.getMessage(), e);
    }
  }
}
