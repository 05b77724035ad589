package io.github.argrpo.core.condition;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns prompts into the text features a text-to-image policy consumes (LlamaGen: FLAN-T5-XL, 120 x
 * 2048, left-padded with a validity mask).
 *
 * <p>The SDK ships two implementations in {@code argrpo-models}: {@code io.github.argrpo.models.text.T5TextEncoder}
 * (LlamaGen's text path natively: caption cleaning, the FLAN-T5 tokenizer and encoder, left padding)
 * and {@code io.github.argrpo.models.text.PrecomputedTextFeatures} (a store of features computed once).
 * Because the encoder is frozen in AR-GRPO, encoding a prompt once and reusing the features is exact.
 *
 * <pre>{@code
 * try (TextEncoder enc = PrecomputedTextFeatures.open(Path.of("coco_prompts.safetensors"))) {
 *   TextCondition c = enc.condition("a red bicycle leaning on a wall");
 * }
 * }</pre>
 */
public interface TextEncoder extends AutoCloseable {

  /** Token positions of every encoding (120 for LlamaGen). */
  int tokens();

  /** Feature size per token (2048 for FLAN-T5-XL). */
  int dim();

  /**
   * The features of {@code prompt}.
   *
   * @throws IllegalArgumentException if this encoder cannot encode the prompt (a store that does not
   *     hold it); the message names the prompt
   */
  TextFeatures encode(String prompt);

  /** The features of each prompt, in order. */
  default List<TextFeatures> encode(List<String> prompts) {
    List<TextFeatures> out = new ArrayList<>(prompts.size());
    for (String p : prompts) {
      out.add(encode(p));
    }
    return out;
  }

  /** A text condition for {@code prompt} with its features attached. */
  default TextCondition condition(String prompt) {
    return new TextCondition(prompt, encode(prompt));
  }

  /** Releases what the encoder holds; the default holds nothing. */
  @Override
  default void close() {}
}
