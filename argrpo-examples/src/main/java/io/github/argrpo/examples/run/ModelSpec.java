package io.github.argrpo.examples.run;

import java.nio.file.Path;
import java.util.Locale;

import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.models.llamagen.GptConfig;
import io.github.argrpo.models.llamagen.ModelType;

/**
 * The {@code model} section of a run config: the LlamaGen GPT's architecture, its weights, precision and
 * device.
 *
 * <pre>
 * model:
 *   gpt: {preset: XL, type: c2i, image_size: 384}   # + num_classes, cls_token_num, dropout, class_dropout_prob,
 *                                                   #   and dim, n_layer, n_head, caption_dim, vocab_size
 *                                                   #   (default: the VQ codebook size) for custom shapes
 *   weights: models/c2i_XL_384.pt                   # official .pt, safetensors, or a run's checkpoint folder
 *   precision: fp32                                 # fp32 | bf16 | bf16-mixed (fp32 weights, bf16 autocast)
 *   device: cpu                                     # cpu | cuda | cuda:N
 * </pre>
 *
 * @param gpt the architecture (block size from {@code image_size} and the VQ's downsample factor)
 * @param imageSize pixels per image side
 * @param weights the weights file or checkpoint folder (checked when loading, not here)
 * @param precision the weights' precision (fp32 for {@code bf16-mixed}, whose autocast is in {@code gpt})
 * @param device where the model runs
 */
public record ModelSpec(GptConfig gpt, int imageSize, Path weights, Precision precision, DeviceSpec device) {

  /** The {@code model.precision} value of mixed precision: fp32 weights, bf16 autocast (see {@link GptConfig}). */
  public static final String BF16_MIXED = "bf16-mixed";

  /**
   * Checks the section and builds the architecture; {@code downsample} and {@code codebookSize} come from
   * the VQ section.
   *
   * @throws ConfigException naming the key of a missing or invalid value
   */
  public static ModelSpec of(ModelSection m, int downsample, int codebookSize) {
    GptSection g = m.gpt();
    if (g.preset() == null) {
      throw new ConfigException("model.gpt.preset is required (B, L, XL, XXL, 3B, ...)");
    }
    GptConfig base;
    try {
      base = GptConfig.preset(g.preset());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("model.gpt.preset: " + e.getMessage());
    }
    ModelType type;
    try {
      type = ModelType.parse(g.type());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("model.gpt.type must be c2i or t2i, got '" + g.type() + "'");
    }
    int imageSize = g.imageSize();
    if (imageSize <= 0 || imageSize % downsample != 0) {
      throw new ConfigException("model.gpt.image_size must be a positive multiple of the VQ downsample factor "
          + downsample + ", got " + imageSize);
    }
    int grid = imageSize / downsample;
    // bf16-mixed: fp32 weights, bf16 autocast over the GPT's passes (AR-GRPO's c2i --bf16 true)
    boolean mixed = m.precision() != null && m.precision().strip().equalsIgnoreCase(BF16_MIXED);
    Precision precision;
    try {
      precision = mixed ? Precision.FP32 : Precision.parse(m.precision());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConfigException("model.precision must be fp32, bf16 or " + BF16_MIXED + ", got '" + m.precision() + "'");
    }
    DeviceSpec device;
    try {
      device = DeviceSpec.parse(m.device());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("model.device: " + e.getMessage());
    }
    int vocab = or(g.vocabSize(), codebookSize);
    if (vocab < 1 || vocab > codebookSize) {
      throw new ConfigException("model.gpt.vocab_size must be in [1, " + codebookSize + "] (the VQ codebook size), got " + vocab);
    }
    GptConfig.Builder b = base.toBuilder().modelType(type).blockSize(grid * grid).vocabSize(vocab)
        .precision(precision)
        .bf16Autocast(mixed)
        .dropout(g.dropout())
        .classDropoutProb(g.classDropoutProb())
        .dim(or(g.dim(), base.dim())).nLayer(or(g.nLayer(), base.nLayer())).nHead(or(g.nHead(), base.nHead()));
    if (type == ModelType.CLASS_TO_IMAGE) {
      b.clsTokenNum(1).numClasses(or(g.numClasses(), 1000));
    } else {
      b.clsTokenNum(or(g.clsTokenNum(), GptConfig.CAPTION_TOKENS)).captionDim(or(g.captionDim(), 2048));
    }
    GptConfig gpt;
    try {
      gpt = b.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("model.gpt: " + e.getMessage());
    }
    String w = m.weights();
    if (w == null || w.isBlank()) {
      throw new ConfigException("model.weights is required (the GPT checkpoint: .pt, .safetensors or a run checkpoint folder)");
    }
    return new ModelSpec(gpt, imageSize, Path.of(w.strip()), precision, device);
  }

  private static int or(Integer v, int dflt) {
    return v == null ? dflt : v;
  }

  /** A short description for logs, e.g. {@code GPT(20x1280, 36 layers) c2i 384px}. */
  public String describe() {
    return String.format(Locale.ROOT, "GPT(%dx%d, %d layers) %s %dpx", gpt.nHead(), gpt.dim(), gpt.nLayer(),
        gpt.modelType().referenceName(), imageSize);
  }
}
