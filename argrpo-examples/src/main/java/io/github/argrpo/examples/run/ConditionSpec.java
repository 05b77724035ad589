package io.github.argrpo.examples.run;

import java.nio.file.Path;

import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.config.ConfigNode;

/**
 * The {@code conditions} section of a run config: ImageNet classes for class-to-image, or a prompt
 * file and its precomputed text features for text-to-image.
 *
 * <pre>
 * conditions: {classes: 1000}
 * conditions: {prompts: data/coco_captions.jsonl, features: data/coco_captions.t5.safetensors}
 * </pre>
 *
 * @param classes number of classes to draw from (c2i), 0 for t2i
 * @param prompts prompt file, one per line ({@code .txt}) or JSON lines ({@code .jsonl}); null for c2i
 * @param features the text-feature store of the prompts; null for c2i
 */
public record ConditionSpec(int classes, Path prompts, Path features) {

  /** Reads the section for a model of kind {@code textToImage}. */
  public static ConditionSpec fromConfig(ConfigNode c, boolean textToImage, int numClasses) {
    if (textToImage) {
      if (c.has("classes")) {
        throw new ConfigException("conditions.classes is for class-to-image models; a t2i model needs conditions.prompts "
            + "and conditions.features");
      }
      Path prompts = c.getPath("prompts", null);
      Path features = c.getPath("features", null);
      if (prompts == null || features == null) {
        throw new ConfigException("a t2i model needs conditions.prompts (a .txt or .jsonl file) and conditions.features "
            + "(their T5 features, see docs/text-features.md)");
      }
      return new ConditionSpec(0, prompts, features);
    }
    if (c.has("prompts") || c.has("features")) {
      throw new ConfigException("conditions.prompts/features are for text-to-image models; a c2i model takes conditions.classes");
    }
    int classes = c.getInt("classes", numClasses);
    if (classes < 1 || classes > numClasses) {
      throw new ConfigException("conditions.classes must be in [1, " + numClasses + "] (the model's classes), got " + classes);
    }
    return new ConditionSpec(classes, null, null);
  }

  /** Whether these are text prompts. */
  public boolean isText() {
    return prompts != null;
  }
}
