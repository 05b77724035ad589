package io.github.argrpo.models.text;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Locale;

import io.github.argrpo.core.condition.TextFeatures;

/**
 * Where the valid tokens of a prompt sit among the 120 caption positions of a LlamaGen t2i model.
 *
 * <p>T5 itself is run right-padded (tokens, {@code </s>}, then pad id 0). The two reference codes
 * then differ:
 * <ul>
 *   <li>{@link #LEFT}, LlamaGen's ({@code sample_t2i.py}, and its t2i training): the {@code n} valid
 *       rows are rotated to the <em>end</em> ({@code cat([emb[n:], emb[:n]])}), the mask flipped to
 *       {@code [0 .. 0, 1 .. 1]}, the padding rows zeroed. The layout the t2i models were trained with;
 *       the default.
 *   <li>{@link #RIGHT}, AR-GRPO's ({@code T5Embedder.text_embedding}): T5's output as is, valid rows
 *       first and mask {@code [1 .. 1, 0 .. 0]}; the padding rows keep T5's output at the padding
 *       positions (they are not zeroed).
 * </ul>
 * They are not equivalent. Image token 0 is predicted from caption position 119: the {@code </s>} row
 * under left padding, a padding row under right padding (whose own features then matter). And the
 * mask selects different rows of the learned unconditional caption for the CFG branch: rows
 * {@code 120-n .. 119} under left padding, {@code 0 .. n-1} under right padding.
 */
public enum TextPadding {
  /** LlamaGen's: valid tokens last, padding rows zero. */
  LEFT,
  /** AR-GRPO's: valid tokens first, padding rows as T5 computed them. */
  RIGHT;

  /**
   * {@code left} or {@code right} (any case).
   *
   * @throws IllegalArgumentException for anything else, naming both values
   */
  public static TextPadding parse(String s) {
    if (s != null) {
      switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "left":
          return LEFT;
        case "right":
          return RIGHT;
        default:
          break;
      }
    }
    throw new IllegalArgumentException("text padding must be left (LlamaGen's) or right (AR-GRPO's), got '" + s + "'");
  }

  /** The lower-case name used in configs and file metadata. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The features of one prompt in this layout, from T5's right-padded output.
   *
   * @param rightPadded encoder output rows, row-major
   * @param offset index of the prompt's first value in {@code rightPadded}
   * @param rows rows available from {@code offset} ({@code tokens} for {@link #RIGHT}: the padding
   *     rows are T5's; at least {@code valid} for {@link #LEFT}, whose padding rows are zero)
   * @param tokens caption positions (120)
   * @param dim features per position
   * @param valid valid tokens ({@code </s>} included), at the start of {@code rightPadded}
   */
  TextFeatures arrange(float[] rightPadded, int offset, int rows, int tokens, int dim, int valid) {
    if (valid < 1 || valid > tokens || rows < (this == RIGHT ? tokens : valid)) {
      throw new IllegalArgumentException("cannot lay out " + valid + " valid tokens of " + rows + " encoded rows into "
          + tokens + " positions with " + key() + " padding");
    }
    float[] v = new float[tokens * dim];
    boolean[] m = new boolean[tokens];
    if (this == LEFT) {
      System.arraycopy(rightPadded, offset, v, (tokens - valid) * dim, valid * dim);
      for (int k = tokens - valid; k < tokens; k++) {
        m[k] = true;
      }
    } else {
      System.arraycopy(rightPadded, offset, v, 0, tokens * dim);
      for (int k = 0; k < valid; k++) {
        m[k] = true;
      }
    }
    return new TextFeatures(v, tokens, dim, m);
  }

  /**
   * Checks that {@code mask} is this layout with at least one valid token.
   *
   * @throws IllegalArgumentException naming {@code what} and the first position out of place
   */
  void checkMask(boolean[] mask, String what) {
    int valid = 0;
    for (boolean b : mask) {
      valid += b ? 1 : 0;
    }
    checkArgument(valid != 0, "%s: the mask has no valid token", what);
    int start = this == LEFT ? mask.length - valid : 0;
    for (int k = 0; k < mask.length; k++) {
      boolean expected = k >= start && k < start + valid;
      if (mask[k] != expected) {
        throw new IllegalArgumentException(what + ": the mask is not " + key() + " padding ("
            + (this == LEFT ? "padding first, then valid tokens" : "valid tokens first, then padding") + "); position " + k
            + " is " + (mask[k] ? "valid" : "padding"));
      }
    }
  }
}
