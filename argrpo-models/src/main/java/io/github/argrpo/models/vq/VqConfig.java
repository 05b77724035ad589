package io.github.argrpo.models.vq;

import java.util.List;
import java.util.Objects;

/**
 * Architecture of LlamaGen's VQ image tokenizer ({@code tokenizer/tokenizer_image/vq_model.py},
 * {@code ModelArgs} plus the values its {@code Encoder}/{@code Decoder} fix): an immutable, validated
 * record with the reference presets {@link #vq16()} and {@link #vq8()}.
 *
 * <pre>{@code
 * VqConfig c = VqConfig.vq16();                                 // vq_ds16_c2i.pt, vq_ds16_t2i.pt
 * VqConfig tiny = VqConfig.builder().channels(32).channelMultipliers(List.of(1, 1, 2))
 *     .zChannels(32).codebookSize(64).build();
 * }</pre>
 *
 * @param channels base channel count {@code ch} of encoder and decoder; reference 128
 * @param encoderChannelMultipliers per-resolution channel multipliers of the encoder
 *     ({@code encoder_ch_mult}); VQ-16 {@code [1,1,2,2,4]}, VQ-8 {@code [1,2,2,4]}. Every level but the
 *     last halves the resolution, so the downsample factor is {@code 2^(levels-1)}
 * @param decoderChannelMultipliers the decoder's ({@code decoder_ch_mult}), same length as the encoder's;
 *     the reference uses the same list for both
 * @param zChannels channels of the encoder output / decoder input {@code z_channels}; reference 256
 * @param numResBlocks residual blocks per encoder level ({@code num_res_blocks}); the decoder has one
 *     more per level, as in the reference; reference 2
 * @param codebookSize number of codebook entries ({@code codebook_size}); reference 16384
 * @param codebookEmbedDim dimension of a codebook entry and of the quantized latent
 *     ({@code codebook_embed_dim}); reference 8
 * @param codebookL2Norm whether latents and codebook are L2-normalised before the nearest-entry search and
 *     at lookup ({@code codebook_l2_norm}); reference true
 * @param normGroups groups of every GroupNorm ({@code Normalize}); reference 32. Must divide every
 *     channel count of the network
 * @param normEps GroupNorm epsilon; reference 1e-6
 * @param dropout dropout probability inside residual blocks ({@code dropout_p}); reference 0.0. Only
 *     training would apply it; this port runs inference and therefore never applies dropout
 */
public record VqConfig(
    int channels,
    List<Integer> encoderChannelMultipliers,
    List<Integer> decoderChannelMultipliers,
    int zChannels,
    int numResBlocks,
    int codebookSize,
    int codebookEmbedDim,
    boolean codebookL2Norm,
    int normGroups,
    double normEps,
    double dropout) {

  /** Input and output image channels, fixed to RGB in the reference Encoder/Decoder signatures. */
  public static final int IMAGE_CHANNELS = 3;

  /**
   * Length of the {@code quantize.codebook_used} buffer: a training statistic the reference allocates
   * with a fixed 65536 entries whatever the codebook size.
   */
  public static final int CODEBOOK_USED_LENGTH = 65536;

  /** Validates every field and copies the lists. */
  public VqConfig {
    Objects.requireNonNull(encoderChannelMultipliers, "encoderChannelMultipliers");
    Objects.requireNonNull(decoderChannelMultipliers, "decoderChannelMultipliers");
    encoderChannelMultipliers = List.copyOf(encoderChannelMultipliers);
    decoderChannelMultipliers = List.copyOf(decoderChannelMultipliers);
    check(channels >= 1, "channels must be >= 1, got %s", channels);
    check(!encoderChannelMultipliers.isEmpty(), "encoderChannelMultipliers must not be empty");
    check(encoderChannelMultipliers.size() == decoderChannelMultipliers.size(),
        "encoder and decoder channel multipliers must have the same length (same down/upsampling), got %s and %s",
        encoderChannelMultipliers, decoderChannelMultipliers);
    check(encoderChannelMultipliers.size() <= 8, "at most 8 resolution levels are supported, got %s",
        encoderChannelMultipliers.size());
    for (List<Integer> mult : List.of(encoderChannelMultipliers, decoderChannelMultipliers)) {
      for (int m : mult) {
        check(m >= 1, "channel multipliers must be >= 1, got %s", mult);
      }
    }
    check(zChannels >= 1, "zChannels must be >= 1, got %s", zChannels);
    check(numResBlocks >= 1, "numResBlocks must be >= 1, got %s", numResBlocks);
    check(codebookSize >= 1, "codebookSize must be >= 1, got %s", codebookSize);
    check(codebookEmbedDim >= 1, "codebookEmbedDim must be >= 1, got %s", codebookEmbedDim);
    check(normGroups >= 1, "normGroups must be >= 1, got %s", normGroups);
    check(normEps > 0, "normEps must be > 0, got %s", normEps);
    check(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got %s", dropout);
    for (List<Integer> mult : List.of(encoderChannelMultipliers, decoderChannelMultipliers)) {
      for (int m : mult) {
        check((channels * m) % normGroups == 0,
            "normGroups %s must divide every level's channels, but channels %s x multiplier %s = %s",
            normGroups, channels, m, channels * m);
      }
    }
    check(channels % normGroups == 0, "normGroups %s must divide channels %s", normGroups, channels);
  }

  /** VQ-16 ({@code VQ_16}): 16x downsampling, the tokenizer of every released c2i and t2i LlamaGen model. */
  public static VqConfig vq16() {
    return builder().build();
  }

  /** VQ-8 ({@code VQ_8}): 8x downsampling, {@code ch_mult = [1, 2, 2, 4]} ({@code vq_ds8_c2i.pt}). */
  public static VqConfig vq8() {
    return builder().channelMultipliers(List.of(1, 2, 2, 4)).build();
  }

  /** A builder preset to VQ-16. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this config's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.channels = channels;
    b.encoderChannelMultipliers = encoderChannelMultipliers;
    b.decoderChannelMultipliers = decoderChannelMultipliers;
    b.zChannels = zChannels;
    b.numResBlocks = numResBlocks;
    b.codebookSize = codebookSize;
    b.codebookEmbedDim = codebookEmbedDim;
    b.codebookL2Norm = codebookL2Norm;
    b.normGroups = normGroups;
    b.normEps = normEps;
    b.dropout = dropout;
    return b;
  }

  /** Number of resolution levels (length of the channel multipliers). */
  public int levels() {
    return encoderChannelMultipliers.size();
  }

  /** Pixels per token side: {@code 2^(levels-1)} (16 for VQ-16, 8 for VQ-8). */
  public int downsampleFactor() {
    return 1 << (levels() - 1);
  }

  private static void check(boolean ok, String template, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(template, args));
    }
  }

  /** Mutable builder; {@link #build()} validates. Defaults are VQ-16's. */
  public static final class Builder {
    private int channels = 128;
    private List<Integer> encoderChannelMultipliers = List.of(1, 1, 2, 2, 4);
    private List<Integer> decoderChannelMultipliers = List.of(1, 1, 2, 2, 4);
    private int zChannels = 256;
    private int numResBlocks = 2;
    private int codebookSize = 16384;
    private int codebookEmbedDim = 8;
    private boolean codebookL2Norm = true;
    private int normGroups = 32;
    private double normEps = 1e-6;
    private double dropout = 0.0;

    private Builder() {}

    /** Base channels {@code ch}. */
    public Builder channels(int v) {
      channels = v;
      return this;
    }

    /** Sets both encoder and decoder multipliers ({@code ch_mult}). */
    public Builder channelMultipliers(List<Integer> v) {
      encoderChannelMultipliers = v;
      decoderChannelMultipliers = v;
      return this;
    }

    /** Encoder multipliers only. */
    public Builder encoderChannelMultipliers(List<Integer> v) {
      encoderChannelMultipliers = v;
      return this;
    }

    /** Decoder multipliers only. */
    public Builder decoderChannelMultipliers(List<Integer> v) {
      decoderChannelMultipliers = v;
      return this;
    }

    /** Latent channels {@code z_channels}. */
    public Builder zChannels(int v) {
      zChannels = v;
      return this;
    }

    /** Residual blocks per encoder level. */
    public Builder numResBlocks(int v) {
      numResBlocks = v;
      return this;
    }

    /** Codebook entries. */
    public Builder codebookSize(int v) {
      codebookSize = v;
      return this;
    }

    /** Codebook entry dimension. */
    public Builder codebookEmbedDim(int v) {
      codebookEmbedDim = v;
      return this;
    }

    /** L2-normalised codebook search. */
    public Builder codebookL2Norm(boolean v) {
      codebookL2Norm = v;
      return this;
    }

    /** GroupNorm groups. */
    public Builder normGroups(int v) {
      normGroups = v;
      return this;
    }

    /** GroupNorm epsilon. */
    public Builder normEps(double v) {
      normEps = v;
      return this;
    }

    /** Dropout probability (training only; not applied at inference). */
    public Builder dropout(double v) {
      dropout = v;
      return this;
    }

    /** The validated config. */
    public VqConfig build() {
      return new VqConfig(channels, encoderChannelMultipliers, decoderChannelMultipliers, zChannels, numResBlocks,
          codebookSize, codebookEmbedDim, codebookL2Norm, normGroups, normEps, dropout);
    }
  }
}
