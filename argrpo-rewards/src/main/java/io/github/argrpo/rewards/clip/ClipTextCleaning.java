package io.github.argrpo.rewards.clip;

import java.text.Normalizer;
import java.util.Locale;

import io.github.argrpo.core.text.HtmlEntities;

/**
 * How text is cleaned before CLIP's BPE sees it. The two reference tokenizers differ only here.
 *
 * <ul>
 *   <li>{@link #OPENAI}: OpenAI's {@code SimpleTokenizer} (and the open_clip copy HPSv2 uses):
 *       {@code ftfy.fix_text}, HTML unescape twice, strip, whitespace runs to one space, lowercase.
 *   <li>{@link #HUGGING_FACE}: the {@code tokenizer.json} normalizer of {@code openai/clip-vit-*} (the
 *       tokenizer AR-GRPO's CLIP reward uses): NFC, whitespace runs to one space, lowercase; no HTML
 *       unescape.
 * </ul>
 *
 * <p>{@code ftfy} is not reproduced beyond its final NFC step: on clean prompts it changes nothing,
 * but it would also repair mojibake, straighten curly quotes and fold full-width forms, which this
 * class leaves as they are.
 *
 * <p>"Whitespace" follows Python's {@code str.isspace}: Unicode category Zs or bidirectional class
 * WS, B or S (which includes the ASCII controls 0x1C-0x1F that Java's {@code String.strip} ignores).
 */
public enum ClipTextCleaning {
  /** OpenAI / open_clip cleaning, with HTML unescaping. */
  OPENAI,
  /** Hugging Face {@code CLIPTokenizerFast} normalization, without HTML unescaping. */
  HUGGING_FACE;

  /** {@code text} cleaned as this tokenizer flavour does, lowercased. */
  public String clean(String text) {
    String t = Normalizer.normalize(text, Normalizer.Form.NFC);
    if (this == OPENAI) {
      t = HtmlEntities.unescape(HtmlEntities.unescape(t));
    }
    return collapseWhitespace(t).toLowerCase(Locale.ROOT);
  }

  /** Strips and collapses every whitespace run to one ASCII space. */
  static String collapseWhitespace(String t) {
    StringBuilder out = new StringBuilder(t.length());
    boolean pendingSpace = false;
    for (int i = 0; i < t.length(); ) {
      int cp = t.codePointAt(i);
      i += Character.charCount(cp);
      if (isPythonSpace(cp)) {
        pendingSpace = out.length() > 0;
      } else {
        if (pendingSpace) {
          out.append(' ');
          pendingSpace = false;
        }
        out.appendCodePoint(cp);
      }
    }
    return out.toString();
  }

  /** Python's {@code str.isspace} for one code point. */
  static boolean isPythonSpace(int cp) {
    if (Character.getType(cp) == Character.SPACE_SEPARATOR) {
      return true;
    }
    byte d = Character.getDirectionality(cp);
    return d == Character.DIRECTIONALITY_WHITESPACE || d == Character.DIRECTIONALITY_PARAGRAPH_SEPARATOR
        || d == Character.DIRECTIONALITY_SEGMENT_SEPARATOR;
  }
}
