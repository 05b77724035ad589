package io.github.argrpo.examples.run;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.file.Path;

import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.models.text.TextPadding;

/**
 * The {@code conditions} section of a run config: ImageNet classes for class-to-image, or a prompt
 * file and where its text features come from for text-to-image: a store of precomputed features, or
 * the FLAN-T5 model folder, encoded in this process.
 *
 * <pre>
 * conditions: {classes: 1000}
 * conditions: {prompts: data/coco_captions.jsonl, features: data/coco_captions.t5.safetensors}
 * conditions: {prompts: data/coco_captions.jsonl, t5: models/flan-t5-xl}
 * conditions: {prompts: data/coco_captions.jsonl, t5: models/flan-t5-xl, padding: right}   # AR-GRPO's layout
 * </pre>
 *
 * @param classes number of classes to draw from (c2i), 0 for t2i
 * @param prompts prompt file, one per line ({@code .txt}) or JSON lines ({@code .jsonl}); null for c2i
 * @param features the text-feature store of the prompts; null for c2i or when {@code t5} is set
 * @param t5 a Hugging Face FLAN-T5 folder (config.json, weights, spiece.model); null unless set
 * @param t5Precision the precision T5 runs in (LlamaGen and AR-GRPO: bf16)
 * @param padding where the valid caption tokens sit ({@code conditions.padding}): {@code left},
 *     LlamaGen's and the default, or {@code right}, AR-GRPO's (see {@link TextPadding}); c2i: left
 */
public record ConditionSpec(int classes, Path prompts, Path features, Path t5, Precision t5Precision,
    TextPadding padding) {

  /** The spec with LlamaGen's left padding. */
  public ConditionSpec(int classes, Path prompts, Path features, Path t5, Precision t5Precision) {
    this(classes, prompts, features, t5, t5Precision, TextPadding.LEFT);
  }

  public ConditionSpec {
    checkArgument(padding != null, "padding must not be null (left or right)");
  }

  /** Checks the section for a model of kind {@code textToImage}. */
  public static ConditionSpec of(ConditionsSection c, boolean textToImage, int numClasses) {
    if (textToImage) {
      if (c.classes() != null) {
        throw new ConfigException("conditions.classes is for class-to-image models; a t2i model needs conditions.prompts "
            + "and conditions.features or conditions.t5");
      }
      Path prompts = path(c.prompts());
      Path features = path(c.features());
      Path t5 = path(c.t5());
      if (prompts == null || (features == null) == (t5 == null)) {
        throw new ConfigException("a t2i model needs conditions.prompts (a .txt or .jsonl file) and exactly one of "
            + "conditions.features (their precomputed T5 features) or conditions.t5 (a FLAN-T5 folder); see docs/text-features.md");
      }
      Precision precision;
      try {
        precision = Precision.parse(c.t5Precision() == null ? "bf16" : c.t5Precision());
      } catch (IllegalArgumentException e) {
        throw new ConfigException("conditions.t5_precision: " + e.getMessage(), e);
      }
      TextPadding padding;
      try {
        padding = TextPadding.parse(c.padding() == null ? "left" : c.padding());
      } catch (IllegalArgumentException e) {
        throw new ConfigException("conditions.padding: " + e.getMessage(), e);
      }
      return new ConditionSpec(0, prompts, features, t5, precision, padding);
    }
    if (c.prompts() != null || c.features() != null || c.t5() != null || c.padding() != null) {
      throw new ConfigException("conditions.prompts/features/t5/padding are for text-to-image models; a c2i model takes "
          + "conditions.classes");
    }
    int classes = c.classes() == null ? numClasses : c.classes();
    if (classes < 1 || classes > numClasses) {
      throw new ConfigException("conditions.classes must be in [1, " + numClasses + "] (the model's classes), got " + classes);
    }
    return new ConditionSpec(classes, null, null, null, Precision.BF16);
  }

  private static Path path(String s) {
    return s == null ? null : Path.of(s);
  }

  /** Whether these are text prompts. */
  public boolean isText() {
    return prompts != null;
  }
}
