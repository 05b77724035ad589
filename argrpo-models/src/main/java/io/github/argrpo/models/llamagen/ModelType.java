package io.github.argrpo.models.llamagen;

import java.util.Locale;

/**
 * What a LlamaGen GPT is conditioned on: LlamaGen's {@code model_type}.
 *
 * <pre>{@code
 * ModelType t = ModelType.parse("t2i");   // TEXT_TO_IMAGE
 * }</pre>
 */
public enum ModelType {
  /** Class-to-image ({@code "c2i"}): one class-embedding token, null class {@code num_classes} for CFG. */
  CLASS_TO_IMAGE("c2i"),
  /** Text-to-image ({@code "t2i"}): 120 projected T5 tokens, the learned {@code uncond_embedding} for CFG. */
  TEXT_TO_IMAGE("t2i");

  private final String referenceName;

  ModelType(String referenceName) {
    this.referenceName = referenceName;
  }

  /** The reference's spelling, {@code "c2i"} or {@code "t2i"}. */
  public String referenceName() {
    return referenceName;
  }

  /** Parses {@code c2i}/{@code t2i} (the reference's {@code model_type}), case-insensitively. */
  public static ModelType parse(String s) {
    String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    for (ModelType t : values()) {
      if (t.referenceName.equals(v)) {
        return t;
      }
    }
    throw new IllegalArgumentException("model_type must be 'c2i' or 't2i', got '" + s + "'");
  }
}
