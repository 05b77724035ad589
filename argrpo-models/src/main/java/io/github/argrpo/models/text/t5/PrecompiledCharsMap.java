package io.github.argrpo.models.text.t5;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;

/**
 * SentencePiece's compiled normalization rule ({@code NormalizerSpec.precompiled_charsmap}):
 * a 4-byte little-endian size {@code n}, then {@code n} bytes of a Darts-clone double-array trie
 * over UTF-8 byte strings, then a blob of NUL-terminated replacement strings. A trie value is the
 * offset of its replacement in the blob.
 *
 * <p>The trie walk follows Darts-clone's unit layout (a 32-bit unit holds an 8-bit label, a
 * has-leaf bit and an offset to its children; a child is found at {@code node ^ offset ^ byte})
 * and is bounds-checked: a unit pointing outside the array ends the match instead of reading
 * garbage, so even a damaged trie cannot crash normalization.
 */
final class PrecompiledCharsMap {

  /** No rule: every character is copied as is. */
  static final PrecompiledCharsMap IDENTITY = new PrecompiledCharsMap(new int[0], new byte[0]);

  private final int[] units;
  private final byte[] replacements;

  private PrecompiledCharsMap(int[] units, byte[] replacements) {
    this.units = units;
    this.replacements = replacements;
  }

  /**
   * Decodes a charsmap; an empty one is {@link #IDENTITY}.
   *
   * @throws IllegalArgumentException naming what is wrong with the blob
   */
  static PrecompiledCharsMap parse(byte[] blob) {
    if (blob.length == 0) {
      return IDENTITY;
    }
    // The same checks as SentencePiece's DecodePrecompiledCharsMap, plus the ones Darts-clone's
    // own loader makes on the root unit.
    checkArgument(blob.length > 4, "%s bytes, too short for the 4-byte trie size", blob.length);
    long trieSize = u32(blob, 0);
    checkArgument(trieSize < blob.length - 4L,
        "trie size %s does not fit in the %s bytes after it (the replacement strings must follow)", trieSize,
        blob.length - 4);
    checkArgument(trieSize % 4 == 0 && trieSize >= 4,
        "trie size %s is not a positive multiple of the 4-byte unit size", trieSize);
    int[] units = new int[(int) (trieSize / 4)];
    for (int i = 0; i < units.length; i++) {
      units[i] = (int) u32(blob, 4 + 4 * i);
    }
    int root = units[0];
    checkArgument(label(root) == 0 && !hasLeaf(root) && offset(root) != 0 && !((offset(root) | 0xFF) >= units.length),
        "the trie's root unit is invalid");
    int from = 4 + (int) trieSize;
    byte[] replacements = Arrays.copyOfRange(blob, from, blob.length);
    checkArgument(replacements[replacements.length - 1] == 0, "the replacement strings do not end with a NUL");
    return new PrecompiledCharsMap(units, replacements);
  }

  boolean isIdentity() {
    return units.length == 0;
  }

  /**
   * Finds the longest rule whose source is a prefix of {@code s[from, to)}.
   *
   * @return {@code length << 32 | replacementOffset}, or -1 if no rule matches
   */
  long longestMatch(byte[] s, int from, int to) {
    if (units.length == 0) {
      return -1;
    }
    long best = -1;
    int node = offset(units[0]);
    for (int i = from; i < to; i++) {
      int c = s[i] & 0xFF;
      node ^= c;
      if (node < 0 || node >= units.length) {
        return best;
      }
      int unit = units[node];
      if (label(unit) != c) {
        return best;
      }
      node ^= offset(unit);
      if (hasLeaf(unit)) {
        if (node < 0 || node >= units.length) {
          return best;
        }
        int value = units[node] & 0x7FFFFFFF;
        if (value < replacements.length) {
          best = ((long) (i + 1 - from) << 32) | value;
        }
      }
    }
    return best;
  }

  /** The NUL-terminated replacement strings; a match's value is an offset into them. */
  byte[] replacements() {
    return replacements;
  }

  // Darts-clone unit fields. A leaf unit has the top bit set, so its label never equals a byte.
  private static int label(int unit) {
    return unit & 0x800000FF;
  }

  private static boolean hasLeaf(int unit) {
    return ((unit >>> 8) & 1) == 1;
  }

  private static int offset(int unit) {
    return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
  }

  private static long u32(byte[] b, int at) {
    return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16
        | (b[at + 3] & 0xFFL) << 24;
  }
}
