package io.github.argrpo.models.text.t5;

import java.util.Arrays;

/**
 * How a SentencePiece model normalizes text before segmenting it: the protobuf
 * {@code NormalizerSpec}, with the protobuf defaults for fields the file leaves out.
 *
 * <p>For T5 (and FLAN-T5) the spec is {@code nmt_nfkc} with a precompiled charsmap and all three
 * flags true.
 *
 * @param name the rule's name, e.g. {@code "nmt_nfkc"} (informational; the charsmap is what runs)
 * @param precompiledCharsmap the compiled rule: a 4-byte little-endian trie size, a Darts-clone
 *     double-array trie and the NUL-terminated replacement strings; empty for no rule (identity).
 *     Returned as a copy.
 * @param addDummyPrefix prepend a space ({@code ▁}) so a word at the start of the text segments
 *     like one after a space (default true)
 * @param removeExtraWhitespaces drop leading and trailing spaces and collapse runs of spaces,
 *     judged on the normalized text (default true)
 * @param escapeWhitespaces write spaces as {@code U+2581 ▁} (default true)
 */
public record NormalizerSpec(String name, byte[] precompiledCharsmap, boolean addDummyPrefix,
    boolean removeExtraWhitespaces, boolean escapeWhitespaces) {

  /** Copies the charsmap so the record stays immutable. */
  public NormalizerSpec {
    precompiledCharsmap = precompiledCharsmap.clone();
  }

  @Override
  public byte[] precompiledCharsmap() {
    return precompiledCharsmap.clone();
  }

  /** The charsmap without a copy, for the normalizer in this package. */
  byte[] charsmapUnsafe() {
    return precompiledCharsmap;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NormalizerSpec s && name.equals(s.name)
        && Arrays.equals(precompiledCharsmap, s.precompiledCharsmap)
        && addDummyPrefix == s.addDummyPrefix && removeExtraWhitespaces == s.removeExtraWhitespaces
        && escapeWhitespaces == s.escapeWhitespaces;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(precompiledCharsmap);
  }

  @Override
  public String toString() {
    return "NormalizerSpec[name=" + name + ", charsmap=" + precompiledCharsmap.length
        + " bytes, addDummyPrefix=" + addDummyPrefix + ", removeExtraWhitespaces="
        + removeExtraWhitespaces + ", escapeWhitespaces=" + escapeWhitespaces + "]";
  }
}
