package io.github.argrpo.examples.run;

import java.nio.file.Path;
import java.util.List;

import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.config.ConfigNode;
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

  /** Reads the section, throwing a {@link ConfigException} naming the bad key. */
  public static VqSpec fromConfig(ConfigNode v) {
    String preset = v.getString("preset", "VQ-16");
    VqConfig base = switch (preset.toUpperCase(java.util.Locale.ROOT).replace("_", "-")) {
      case "VQ-16" -> VqConfig.vq16();
      case "VQ-8" -> VqConfig.vq8();
      default -> throw new ConfigException("vq.preset must be VQ-16 or VQ-8, got '" + preset + "'");
    };
    VqConfig.Builder b = base.toBuilder();
    try {
      b.channels(v.getInt("channels", base.channels()));
      if (v.has("channel_multipliers")) {
        List<Integer> m = v.getStrings("channel_multipliers", List.of()).stream().map(Integer::parseInt).toList();
        b.channelMultipliers(m);
      }
      b.zChannels(v.getInt("z_channels", base.zChannels())).numResBlocks(v.getInt("num_res_blocks", base.numResBlocks()))
          .codebookSize(v.getInt("codebook_size", base.codebookSize()))
          .codebookEmbedDim(v.getInt("codebook_embed_dim", base.codebookEmbedDim()));
      if (v.has("norm_groups")) {
        b.normGroups(v.getInt("norm_groups", base.normGroups()));
      }
      VqConfig c = b.build();
      String w = v.getString("weights", null);
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
