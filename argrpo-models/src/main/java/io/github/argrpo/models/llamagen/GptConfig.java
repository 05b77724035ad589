package io.github.argrpo.models.llamagen;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

import io.github.argrpo.core.runtime.Precision;

/**
 * The architecture of a LlamaGen GPT: the fields of the reference's {@code ModelArgs}
 * ({@code autoregressive/models/gpt.py}), validated, plus the numeric precision to run in.
 *
 * <pre>{@code
 * GptConfig b = GptConfig.gptB();                                   // c2i, 16x16 tokens
 * GptConfig xl = GptConfig.preset("GPT-XL").toBuilder()
 *     .modelType(ModelType.TEXT_TO_IMAGE).clsTokenNum(120).blockSize(256).build();
 * }</pre>
 *
 * <p>The builder starts from the reference defaults ({@code ModelArgs}: dropouts 0.1, class dropout
 * 0.1, {@code multiple_of} 256, {@code norm_eps} 1e-5, {@code rope_base} 10000, 16384 codes, 1000
 * classes, caption dim 2048) with the GPT-B shape.
 *
 * @param dim model width ({@code dim})
 * @param nLayer number of transformer blocks ({@code n_layer})
 * @param nHead attention heads ({@code n_head}); {@code head_dim = dim / n_head} must be a multiple of 4
 *     (the 2D RoPE splits each head in row and column halves of rotation pairs)
 * @param vocabSize image-token codebook size ({@code vocab_size}, 16384)
 * @param blockSize number of image tokens, a perfect square ({@code block_size}: 256 = 16x16 for 256 px,
 *     576 = 24x24 for 384 px); not stored in checkpoints, must match the resolution trained at
 * @param clsTokenNum condition tokens before the image ({@code cls_token_num}): 1 for c2i, up to 120 for t2i
 * @param numClasses number of classes ({@code num_classes}, 1000); the null class for CFG is this index
 * @param modelType class- or text-conditioned ({@code model_type})
 * @param captionDim text-feature width ({@code caption_dim}, 2048 for FLAN-T5-XL)
 * @param tokenDropoutP dropout on the input embeddings in train mode ({@code token_dropout_p}, 0.1)
 * @param attnDropoutP dropout on attention weights in train mode ({@code attn_dropout_p}, 0.0)
 * @param residDropoutP dropout after the attention output projection ({@code resid_dropout_p}, 0.1)
 * @param ffnDropoutP dropout after the feed-forward output ({@code ffn_dropout_p}, 0.1)
 * @param classDropoutProb train-time condition dropout for CFG ({@code class_dropout_prob}, 0.1); when
 *     {@code > 0} the class table has the extra null-class row
 * @param ffnDimMultiplier optional scale of the FFN hidden size ({@code ffn_dim_multiplier}, null = none)
 * @param multipleOf the FFN hidden size is rounded up to a multiple of this ({@code multiple_of}, 256)
 * @param normEps RMSNorm epsilon ({@code norm_eps}, 1e-5)
 * @param ropeBase RoPE base ({@code rope_base}, 10000)
 * @param precision weights and activations; RMSNorm, RoPE and logits stay fp32 as in the reference
 * @param bf16Autocast run every pass of the GPT (sampling, teacher-forced log-probs, training) under bf16
 *     autocast over fp32 weights: mixed precision as AR-GRPO's c2i runs ({@code accelerate --bf16 true}), with
 *     bf16 matmuls, an fp32 residual stream, fp32 parameters, gradients and optimizer state; needs
 *     {@code precision} fp32
 */
public record GptConfig(
    int dim,
    int nLayer,
    int nHead,
    int vocabSize,
    int blockSize,
    int clsTokenNum,
    int numClasses,
    ModelType modelType,
    int captionDim,
    double tokenDropoutP,
    double attnDropoutP,
    double residDropoutP,
    double ffnDropoutP,
    double classDropoutProb,
    Double ffnDimMultiplier,
    int multipleOf,
    double normEps,
    double ropeBase,
    Precision precision,
    boolean bf16Autocast) {

  /** Caption tokens of LlamaGen's text path ({@code t5_feature_max_len}, hard-coded 120 in the reference). */
  public static final int CAPTION_TOKENS = 120;

  private static final Map<String, Supplier<Builder>> PRESETS = Map.of(
      "GPT-B", () -> shape(12, 12, 768),
      "GPT-L", () -> shape(24, 16, 1024),
      "GPT-XL", () -> shape(36, 20, 1280),
      "GPT-XXL", () -> shape(48, 24, 1536),
      "GPT-XXXL", () -> shape(48, 40, 2560),
      "GPT-1B", () -> shape(22, 32, 2048),
      "GPT-3B", () -> shape(24, 32, 3200),
      "GPT-7B", () -> shape(32, 32, 4096));

  public GptConfig {
    check(dim > 0 && nLayer > 0 && nHead > 0, "dim, nLayer and nHead must be > 0, got dim=%s nLayer=%s nHead=%s",
        dim, nLayer, nHead);
    check(dim % nHead == 0, "dim must be divisible by nHead, got dim=%s nHead=%s", dim, nHead);
    check((dim / nHead) % 4 == 0, "head_dim = dim / nHead must be a multiple of 4 for the 2D RoPE, got %s",
        dim / nHead);
    check(vocabSize > 0, "vocabSize must be > 0, got %s", vocabSize);
    long g = Math.round(Math.sqrt(blockSize));
    check(blockSize > 0 && g * g == blockSize, "blockSize must be a perfect square (grid * grid), got %s", blockSize);
    check(modelType != null, "modelType must be set");
    check(precision != null, "precision must be set");
    if (modelType == ModelType.CLASS_TO_IMAGE) {
      check(clsTokenNum == 1, "a c2i model has exactly 1 condition token, got clsTokenNum=%s", clsTokenNum);
      check(numClasses > 0, "numClasses must be > 0, got %s", numClasses);
    } else {
      check(clsTokenNum >= 1 && clsTokenNum <= CAPTION_TOKENS,
          "a t2i model has 1..%s condition tokens, got clsTokenNum=%s", CAPTION_TOKENS, clsTokenNum);
      check(captionDim > 0, "captionDim must be > 0, got %s", captionDim);
    }
    checkProb("tokenDropoutP", tokenDropoutP);
    checkProb("attnDropoutP", attnDropoutP);
    checkProb("residDropoutP", residDropoutP);
    checkProb("ffnDropoutP", ffnDropoutP);
    checkProb("classDropoutProb", classDropoutProb);
    check(ffnDimMultiplier == null || ffnDimMultiplier > 0, "ffnDimMultiplier must be > 0 or null, got %s",
        ffnDimMultiplier);
    check(multipleOf > 0, "multipleOf must be > 0, got %s", multipleOf);
    check(normEps > 0, "normEps must be > 0, got %s", normEps);
    check(ropeBase > 1, "ropeBase must be > 1, got %s", ropeBase);
    check(!bf16Autocast || precision == Precision.FP32,
        "bf16 autocast runs over fp32 weights (mixed precision); precision is %s: use precision FP32 with "
            + "bf16Autocast, or BF16 without it", precision);
  }

  /** GPT-B (12 layers, 12 heads, dim 768), c2i, 256 image tokens. */
  public static GptConfig gptB() {
    return preset("GPT-B");
  }

  /** GPT-L (24 layers, 16 heads, dim 1024), c2i, 256 image tokens. */
  public static GptConfig gptL() {
    return preset("GPT-L");
  }

  /** GPT-XL (36 layers, 20 heads, dim 1280), c2i, 256 image tokens. */
  public static GptConfig gptXL() {
    return preset("GPT-XL");
  }

  /** GPT-XXL (48 layers, 24 heads, dim 1536), c2i, 256 image tokens. */
  public static GptConfig gptXXL() {
    return preset("GPT-XXL");
  }

  /** GPT-XXXL (48 layers, 40 heads, dim 2560), c2i, 256 image tokens. */
  public static GptConfig gptXXXL() {
    return preset("GPT-XXXL");
  }

  /** GPT-1B (22 layers, 32 heads, dim 2048), c2i, 256 image tokens. */
  public static GptConfig gpt1B() {
    return preset("GPT-1B");
  }

  /** GPT-3B (24 layers, 32 heads, dim 3200, head_dim 100): the released "LlamaGen-3B". */
  public static GptConfig gpt3B() {
    return preset("GPT-3B");
  }

  /** GPT-7B (32 layers, 32 heads, dim 4096), c2i, 256 image tokens. */
  public static GptConfig gpt7B() {
    return preset("GPT-7B");
  }

  /**
   * A preset by its reference name ({@code GPT-B}, {@code GPT-L}, {@code GPT-XL}, {@code GPT-XXL},
   * {@code GPT-XXXL}, {@code GPT-1B}, {@code GPT-3B}, {@code GPT-7B}; the {@code GPT-} prefix and case
   * are optional), with the reference defaults: c2i, 256 image tokens.
   */
  public static GptConfig preset(String name) {
    String key = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
    if (!key.startsWith("GPT-")) {
      key = "GPT-" + key;
    }
    Supplier<Builder> b = PRESETS.get(key);
    checkArgument(b != null, "unknown GPT preset '%s', expected one of %s", name, new TreeSet<>(PRESETS.keySet()));
    return b.get().build();
  }

  /** A builder at the reference defaults with the GPT-B shape. */
  public static Builder builder() {
    return shape(12, 12, 768);
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** {@code dim / nHead}. */
  public int headDim() {
    return dim / nHead;
  }

  /**
   * The SwiGLU hidden size, exactly the reference's: {@code int(2 * 4 * dim / 3)} (float division,
   * truncated), times {@code ffnDimMultiplier} if set (truncated), rounded up to {@code multipleOf}.
   */
  public int ffnHidden() {
    int h = (int) (2.0 * (4 * dim) / 3.0);
    if (ffnDimMultiplier != null) {
      h = (int) (ffnDimMultiplier * h);
    }
    return h % multipleOf == 0 ? h : h + multipleOf - (h % multipleOf);
  }

  /** Side of the token grid, {@code sqrt(blockSize)}. */
  public int gridSize() {
    return (int) Math.round(Math.sqrt(blockSize));
  }

  /** Whether the class table has the null class (row {@code numClasses}) used for CFG. */
  public boolean hasNullClass() {
    return classDropoutProb > 0;
  }

  /** Rows of the c2i class table: {@code numClasses + (classDropoutProb > 0 ? 1 : 0)}. */
  public int classTableRows() {
    return numClasses + (hasNullClass() ? 1 : 0);
  }

  /** Positions of a full sequence: {@code clsTokenNum + blockSize} (the RoPE table length). */
  public int maxPositions() {
    return clsTokenNum + blockSize;
  }

  /** Number of trainable parameters (no buffers), e.g. 110,888,448 for GPT-B c2i. */
  public long parameterCount() {
    long d = dim;
    long cond = modelType == ModelType.CLASS_TO_IMAGE ? (long) classTableRows() * d : (long) captionDim * d + d * d;
    long perLayer = 4 * d * d + 3L * ffnHidden() * d + 2 * d;
    return cond + 2L * vocabSize * d + nLayer * perLayer + d;
  }

  private static Builder shape(int nLayer, int nHead, int dim) {
    return new Builder().nLayer(nLayer).nHead(nHead).dim(dim);
  }

  private static void check(boolean ok, String fmt, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, fmt, args));
    }
  }

  private static void checkProb(String name, double p) {
    check(p >= 0 && p < 1, "%s must be in [0, 1), got %s", name, p);
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private int dim = 768;
    private int nLayer = 12;
    private int nHead = 12;
    private int vocabSize = 16384;
    private int blockSize = 256;
    private int clsTokenNum = 1;
    private int numClasses = 1000;
    private ModelType modelType = ModelType.CLASS_TO_IMAGE;
    private int captionDim = 2048;
    private double tokenDropoutP = 0.1;
    private double attnDropoutP = 0.0;
    private double residDropoutP = 0.1;
    private double ffnDropoutP = 0.1;
    private double classDropoutProb = 0.1;
    private Double ffnDimMultiplier;
    private int multipleOf = 256;
    private double normEps = 1e-5;
    private double ropeBase = 10000;
    private Precision precision = Precision.FP32;
    private boolean bf16Autocast;

    private Builder() {}

    private Builder(GptConfig c) {
      dim = c.dim;
      nLayer = c.nLayer;
      nHead = c.nHead;
      vocabSize = c.vocabSize;
      blockSize = c.blockSize;
      clsTokenNum = c.clsTokenNum;
      numClasses = c.numClasses;
      modelType = c.modelType;
      captionDim = c.captionDim;
      tokenDropoutP = c.tokenDropoutP;
      attnDropoutP = c.attnDropoutP;
      residDropoutP = c.residDropoutP;
      ffnDropoutP = c.ffnDropoutP;
      classDropoutProb = c.classDropoutProb;
      ffnDimMultiplier = c.ffnDimMultiplier;
      multipleOf = c.multipleOf;
      normEps = c.normEps;
      ropeBase = c.ropeBase;
      precision = c.precision;
      bf16Autocast = c.bf16Autocast;
    }

    /** Model width. */
    public Builder dim(int v) { dim = v; return this; }
    /** Transformer blocks. */
    public Builder nLayer(int v) { nLayer = v; return this; }
    /** Attention heads. */
    public Builder nHead(int v) { nHead = v; return this; }
    /** Codebook size. */
    public Builder vocabSize(int v) { vocabSize = v; return this; }
    /** Image tokens (a perfect square). */
    public Builder blockSize(int v) { blockSize = v; return this; }
    /** Condition tokens. */
    public Builder clsTokenNum(int v) { clsTokenNum = v; return this; }
    /** Classes (c2i). */
    public Builder numClasses(int v) { numClasses = v; return this; }
    /** c2i or t2i; switching to t2i also sets 120 condition tokens unless set afterwards. */
    public Builder modelType(ModelType v) {
      if (v == ModelType.TEXT_TO_IMAGE && modelType != v) {
        clsTokenNum = CAPTION_TOKENS;
      } else if (v == ModelType.CLASS_TO_IMAGE && modelType != v) {
        clsTokenNum = 1;
      }
      modelType = v;
      return this;
    }
    /** Shorthand for {@code modelType(CLASS_TO_IMAGE)}. */
    public Builder c2i() { return modelType(ModelType.CLASS_TO_IMAGE); }
    /** Shorthand for {@code modelType(TEXT_TO_IMAGE)} (120 condition tokens). */
    public Builder t2i() { return modelType(ModelType.TEXT_TO_IMAGE); }
    /** Text-feature width (t2i). */
    public Builder captionDim(int v) { captionDim = v; return this; }
    /** Input-embedding dropout. */
    public Builder tokenDropoutP(double v) { tokenDropoutP = v; return this; }
    /** Attention-weight dropout. */
    public Builder attnDropoutP(double v) { attnDropoutP = v; return this; }
    /** Dropout after the attention output. */
    public Builder residDropoutP(double v) { residDropoutP = v; return this; }
    /** Dropout after the feed-forward output. */
    public Builder ffnDropoutP(double v) { ffnDropoutP = v; return this; }
    /** All three model dropouts (token, residual, feed-forward) and the attention dropout at once. */
    public Builder dropout(double v) {
      tokenDropoutP = v;
      attnDropoutP = v;
      residDropoutP = v;
      ffnDropoutP = v;
      return this;
    }
    /** Train-time condition dropout (also decides whether the null class exists). */
    public Builder classDropoutProb(double v) { classDropoutProb = v; return this; }
    /** FFN hidden multiplier, null for none. */
    public Builder ffnDimMultiplier(Double v) { ffnDimMultiplier = v; return this; }
    /** FFN hidden rounding. */
    public Builder multipleOf(int v) { multipleOf = v; return this; }
    /** RMSNorm epsilon. */
    public Builder normEps(double v) { normEps = v; return this; }
    /** RoPE base. */
    public Builder ropeBase(double v) { ropeBase = v; return this; }
    /** Weights and activations precision. */
    public Builder precision(Precision v) { precision = v; return this; }
    /**
     * Runs the GPT's passes under bf16 autocast over fp32 weights (mixed precision, AR-GRPO's c2i
     * {@code --bf16 true}); needs {@code precision(FP32)}.
     */
    public Builder bf16Autocast(boolean v) { bf16Autocast = v; return this; }

    /** The validated config. */
    public GptConfig build() {
      return new GptConfig(dim, nLayer, nHead, vocabSize, blockSize, clsTokenNum, numClasses, modelType, captionDim,
          tokenDropoutP, attnDropoutP, residDropoutP, ffnDropoutP, classDropoutProb, ffnDimMultiplier, multipleOf,
          normEps, ropeBase, precision, bf16Autocast);
    }
  }
}
