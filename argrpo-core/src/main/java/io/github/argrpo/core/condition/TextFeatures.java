package io.github.argrpo.core.condition;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;

/**
 * Encoded text of a prompt, as LlamaGen's text-to-image models consume it: {@code tokens x dim}
 * features (FLAN-T5-XL: 120 x 2048) and a validity mask, padded to a fixed token count.
 *
 * <p>LlamaGen left-pads: valid tokens sit at the end and the mask is {@code false} on the padding at
 * the start. The arrays are copied in and out, so the record is immutable.
 *
 * @param values row-major {@code tokens * dim} features
 * @param tokens number of token positions (the model's {@code cls_token_num}, 120 for LlamaGen t2i)
 * @param dim feature size per token (the caption dim, 2048 for FLAN-T5-XL)
 * @param mask {@code tokens} flags, {@code true} for a real token
 */
public record TextFeatures(float[] values, int tokens, int dim, boolean[] mask) {

  public TextFeatures {
    checkArgument(tokens > 0 && dim > 0, "text features need tokens > 0 and dim > 0, got %s x %s", tokens, dim);
    checkArgument(values != null && values.length == (long) tokens * dim,
        "text features: expected %s x %s = %s values, got %s", tokens, dim, (long) tokens * dim,
        values == null ? "null" : values.length);
    checkArgument(mask != null && mask.length == tokens, "text mask: expected %s flags, got %s", tokens,
        mask == null ? "null" : String.valueOf(mask.length));
    for (float v : values) {
      checkArgument(Float.isFinite(v), "text features contain a non-finite value: %s", v);
    }
    values = values.clone();
    mask = mask.clone();
  }

  @Override
  public float[] values() {
    return values.clone();
  }

  @Override
  public boolean[] mask() {
    return mask.clone();
  }

  /** The number of valid (unmasked) tokens. */
  public int validTokens() {
    int n = 0;
    for (boolean b : mask) {
      n += b ? 1 : 0;
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TextFeatures t && tokens == t.tokens && dim == t.dim
        && Arrays.equals(values, t.values) && Arrays.equals(mask, t.mask);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(values) + Arrays.hashCode(mask)) + tokens * 7 + dim;
  }

  @Override
  public String toString() {
    return "TextFeatures[" + tokens + " x " + dim + ", " + validTokens() + " valid]";
  }
}
