package io.github.argrpo.rewards.clip;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Shape of a CLIP model: a pre-LN ViT image tower and a causal text transformer joined by two
 * projections into a shared embedding space. Immutable and validated.
 *
 * <pre>{@code
 * ClipConfig b32 = ClipConfig.vitB32();                  // what AR-GRPO's CLIP reward uses
 * ClipConfig hps = ClipConfig.vitH14();                  // HPSv2 / v2.1 (open_clip, GELU)
 * ClipConfig tiny = ClipConfig.builder().embedDim(32).imageSize(32).patchSize(8).visionWidth(64)
 *     .visionLayers(2).visionHeads(1).textWidth(64).textLayers(2).textHeads(2).vocabSize(512).build();
 * }</pre>
 *
 * @param embedDim size of the shared embedding (output of both projections); OpenAI {@code embed_dim}
 * @param imageSize input side in pixels (224 for every preset); OpenAI {@code image_resolution}
 * @param patchSize patch side of the stride-p convolution; must divide {@code imageSize}
 * @param visionWidth width of the image tower ({@code vision_width})
 * @param visionLayers residual blocks of the image tower
 * @param visionHeads attention heads of the image tower (OpenAI: width / 64; open_clip: width / head_width)
 * @param contextLength text positions (77)
 * @param vocabSize text vocabulary size (49,408)
 * @param textWidth width of the text tower ({@code transformer_width})
 * @param textLayers residual blocks of the text tower
 * @param textHeads attention heads of the text tower
 * @param activation MLP activation of both towers
 * @param mlpRatio MLP hidden size / width (4 for every preset)
 * @param layerNormEps LayerNorm epsilon (1e-5, torch's default, for every preset)
 */
public record ClipConfig(
    int embedDim,
    int imageSize,
    int patchSize,
    int visionWidth,
    int visionLayers,
    int visionHeads,
    int contextLength,
    int vocabSize,
    int textWidth,
    int textLayers,
    int textHeads,
    ClipActivation activation,
    double mlpRatio,
    double layerNormEps) {

  public ClipConfig {
    positive("embedDim", embedDim);
    positive("imageSize", imageSize);
    positive("patchSize", patchSize);
    positive("visionWidth", visionWidth);
    positive("visionLayers", visionLayers);
    positive("visionHeads", visionHeads);
    positive("contextLength", contextLength);
    positive("vocabSize", vocabSize);
    positive("textWidth", textWidth);
    positive("textLayers", textLayers);
    positive("textHeads", textHeads);
    checkArgument(imageSize % patchSize == 0,
        "patchSize must divide imageSize, got imageSize %s and patchSize %s", imageSize, patchSize);
    checkArgument(visionWidth % visionHeads == 0,
        "visionHeads must divide visionWidth, got %s / %s", visionWidth, visionHeads);
    checkArgument(textWidth % textHeads == 0, "textHeads must divide textWidth, got %s / %s", textWidth, textHeads);
    checkArgument(activation != null, "activation must not be null");
    checkArgument(mlpRatio > 0 && layerNormEps > 0,
        "mlpRatio and layerNormEps must be > 0, got %s and %s", mlpRatio, layerNormEps);
  }

  /** OpenAI CLIP ViT-B/32 ({@code openai/clip-vit-base-patch32}): about 151M parameters, QuickGELU. */
  public static ClipConfig vitB32() {
    return new ClipConfig(512, 224, 32, 768, 12, 12, 77, 49408, 512, 12, 8, ClipActivation.QUICK_GELU, 4.0, 1e-5);
  }

  /** OpenAI CLIP ViT-L/14 ({@code openai/clip-vit-large-patch14}): about 428M parameters, QuickGELU. */
  public static ClipConfig vitL14() {
    return new ClipConfig(768, 224, 14, 1024, 24, 16, 77, 49408, 768, 12, 12, ClipActivation.QUICK_GELU, 4.0, 1e-5);
  }

  /** open_clip ViT-H-14 (HPSv2 / v2.1, PickScore): about 986M parameters, exact GELU, 16 heads of 80. */
  public static ClipConfig vitH14() {
    return new ClipConfig(1024, 224, 14, 1280, 32, 16, 77, 49408, 1024, 24, 16, ClipActivation.GELU, 4.0, 1e-5);
  }

  /** Image tokens: patches plus the class token. */
  public int visionTokens() {
    int g = imageSize / patchSize;
    return g * g + 1;
  }

  /** A builder starting from {@link #vitB32()}. */
  public static Builder builder() {
    return new Builder(vitB32());
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  private static void positive(String name, int v) {
    checkArgument(!(v <= 0), "%s must be > 0, got %s", name, v);
  }

  /** Builder for {@link ClipConfig}; unset fields keep the starting config's values. */
  public static final class Builder {
    private int embedDim;
    private int imageSize;
    private int patchSize;
    private int visionWidth;
    private int visionLayers;
    private int visionHeads;
    private int contextLength;
    private int vocabSize;
    private int textWidth;
    private int textLayers;
    private int textHeads;
    private ClipActivation activation;
    private double mlpRatio;
    private double layerNormEps;

    private Builder(ClipConfig c) {
      embedDim = c.embedDim;
      imageSize = c.imageSize;
      patchSize = c.patchSize;
      visionWidth = c.visionWidth;
      visionLayers = c.visionLayers;
      visionHeads = c.visionHeads;
      contextLength = c.contextLength;
      vocabSize = c.vocabSize;
      textWidth = c.textWidth;
      textLayers = c.textLayers;
      textHeads = c.textHeads;
      activation = c.activation;
      mlpRatio = c.mlpRatio;
      layerNormEps = c.layerNormEps;
    }

    /** See {@link ClipConfig#embedDim()}. */
    public Builder embedDim(int v) {
      embedDim = v;
      return this;
    }

    /** See {@link ClipConfig#imageSize()}. */
    public Builder imageSize(int v) {
      imageSize = v;
      return this;
    }

    /** See {@link ClipConfig#patchSize()}. */
    public Builder patchSize(int v) {
      patchSize = v;
      return this;
    }

    /** See {@link ClipConfig#visionWidth()}. */
    public Builder visionWidth(int v) {
      visionWidth = v;
      return this;
    }

    /** See {@link ClipConfig#visionLayers()}. */
    public Builder visionLayers(int v) {
      visionLayers = v;
      return this;
    }

    /** See {@link ClipConfig#visionHeads()}. */
    public Builder visionHeads(int v) {
      visionHeads = v;
      return this;
    }

    /** See {@link ClipConfig#contextLength()}. */
    public Builder contextLength(int v) {
      contextLength = v;
      return this;
    }

    /** See {@link ClipConfig#vocabSize()}. */
    public Builder vocabSize(int v) {
      vocabSize = v;
      return this;
    }

    /** See {@link ClipConfig#textWidth()}. */
    public Builder textWidth(int v) {
      textWidth = v;
      return this;
    }

    /** See {@link ClipConfig#textLayers()}. */
    public Builder textLayers(int v) {
      textLayers = v;
      return this;
    }

    /** See {@link ClipConfig#textHeads()}. */
    public Builder textHeads(int v) {
      textHeads = v;
      return this;
    }

    /** See {@link ClipConfig#activation()}. */
    public Builder activation(ClipActivation v) {
      activation = v;
      return this;
    }

    /** See {@link ClipConfig#mlpRatio()}. */
    public Builder mlpRatio(double v) {
      mlpRatio = v;
      return this;
    }

    /** See {@link ClipConfig#layerNormEps()}. */
    public Builder layerNormEps(double v) {
      layerNormEps = v;
      return this;
    }

    /** The validated config. */
    public ClipConfig build() {
      return new ClipConfig(embedDim, imageSize, patchSize, visionWidth, visionLayers, visionHeads, contextLength,
          vocabSize, textWidth, textLayers, textHeads, activation, mlpRatio, layerNormEps);
    }
  }
}
