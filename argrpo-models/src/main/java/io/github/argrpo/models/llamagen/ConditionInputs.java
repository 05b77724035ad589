package io.github.argrpo.models.llamagen;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.condition.ClassCondition;
import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.condition.TextCondition;
import io.github.argrpo.core.condition.TextFeatures;

/**
 * The model inputs of one {@link Condition} per row: c2i class ids {@code (N,)} int64, or t2i caption
 * features {@code (N, 120, caption_dim)} in the model dtype with their validity mask {@code (N, 120)}.
 * Tensors belong to the caller's {@code PointerScope}.
 *
 * @param cond the condition input of {@link LlamaGenGpt#embedCondition}
 * @param captionValid the t2i validity mask, null for c2i
 */
public record ConditionInputs(Tensor cond, Tensor captionValid) {

  /**
   * Checks every condition against {@code config} and builds the inputs on {@code device}. t2i
   * features are passed as given, padding rows included: with LlamaGen's left padding their values
   * reach no image token (padding columns are masked for every query, and the padding rows' outputs
   * are never read), and LlamaGen's text path zeroes them anyway; with AR-GRPO's right padding the
   * last caption position, which predicts image token 0, is a padding row, and AR-GRPO feeds T5's
   * output there, so its value matters and is kept.
   *
   * @throws IllegalArgumentException naming the row whose condition does not fit
   */
  public static ConditionInputs of(GptConfig config, List<? extends Condition> rows, Device device) {
    return of(config, rows, device, null);
  }

  /**
   * As {@link #of(GptConfig, List, Device)}, t2i features taken from {@code cache} (each prompt copied to
   * the device once while cached); null = a cache for this call only.
   */
  static ConditionInputs of(GptConfig config, List<? extends Condition> rows, Device device, TextFeatureCache cache) {
    if (cache == null && config.modelType() == ModelType.TEXT_TO_IMAGE) {
      try (TextFeatureCache once = new TextFeatureCache(device, config.precision().scalarType(), Long.MAX_VALUE)) {
        return of(config, rows, device, once);
      }
    }
    int n = rows.size();
    checkArgument(n != 0, "at least one condition is needed");
    if (config.modelType() == ModelType.CLASS_TO_IMAGE) {
      long[] labels = new long[n];
      for (int i = 0; i < n; i++) {
        if (!(rows.get(i) instanceof ClassCondition cc)) {
          throw new IllegalArgumentException("a c2i LlamaGen model needs class conditions; row " + i + " is "
              + describe(rows.get(i)));
        }
        // label num_classes is the null class (unconditional generation) when the table has it
        int limit = config.classTableRows();
        if (cc.label() >= limit) {
          throw new IllegalArgumentException("class label must be in [0, " + limit + ") (" + config.numClasses()
              + " classes" + (config.hasNullClass() ? " + the null class " + config.numClasses() : "") + "), row " + i
              + " has " + cc.label());
        }
        labels[i] = cc.label();
      }
      return new ConditionInputs(Tensor.create(labels, n).to(device, ScalarType.Long), null);
    }
    int tokens = GptConfig.CAPTION_TOKENS;
    int dim = config.captionDim();
    List<TextFeatures> features = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (!(rows.get(i) instanceof TextCondition tc) || tc.features() == null) {
        throw new IllegalArgumentException("a t2i LlamaGen model needs text conditions with encoded features; row "
            + i + " is " + describe(rows.get(i)));
      }
      TextFeatures f = tc.features();
      checkArgument(f.tokens() == tokens && f.dim() == dim, "text features must be %s x %s, row %s has %s x %s", tokens,
          dim, i, f.tokens(), f.dim());
      features.add(f);
    }
    Tensor[] stacked = cache.stack(features);
    return new ConditionInputs(stacked[0], stacked[1]);
  }

  private static String describe(Condition c) {
    return c == null ? "null" : c.getClass().getSimpleName() + "(" + c.describe() + ")";
  }
}
