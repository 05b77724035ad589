package io.github.argrpo.core.condition;

/**
 * What an image is generated for: a class label (class-to-image) or a text (text-to-image).
 *
 * <p>Conditions are immutable values; a rollout batch holds one per sample, and the G samples of a
 * group share an equal condition.
 *
 * <pre>{@code
 * List<Condition> c2i = List.of(Condition.ofClass(207), Condition.ofClass(360));
 * Condition t2i = Condition.ofText("a red bicycle leaning on a wall");
 * }</pre>
 */
public sealed interface Condition permits ClassCondition, TextCondition {

  /** A class-to-image condition for ImageNet-style class {@code label} (0-based). */
  static ClassCondition ofClass(int label) {
    return new ClassCondition(label);
  }

  /** A text-to-image condition whose text features are not computed yet. */
  static TextCondition ofText(String prompt) {
    return new TextCondition(prompt, null);
  }

  /** A short human-readable description for logs and file names. */
  String describe();
}
