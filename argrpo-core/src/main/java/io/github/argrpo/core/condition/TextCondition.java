package io.github.argrpo.core.condition;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Text-to-image condition: the prompt, and its encoded features once a text encoder (or a store of
 * precomputed features) has produced them.
 *
 * @param prompt the prompt, not blank (rewards such as CLIP score read it)
 * @param features the encoded prompt, or {@code null} until encoded; a text-to-image policy rejects a
 *     condition without features
 */
public record TextCondition(String prompt, TextFeatures features) implements Condition {

  public TextCondition {
    checkArgument(prompt != null && !prompt.isBlank(), "a text condition needs a non-empty prompt");
  }

  /** This prompt with encoded features attached. */
  public TextCondition withFeatures(TextFeatures f) {
    return new TextCondition(prompt, f);
  }

  @Override
  public String describe() {
    return prompt.length() <= 60 ? prompt : prompt.substring(0, 57) + "...";
  }
}
