package io.github.argrpo.rewards.clip;

import java.nio.charset.StandardCharsets;

/**
 * The GPT-2 byte-to-character table CLIP's BPE works on: each UTF-8 byte becomes one printable
 * character, so merges never see raw control bytes or spaces.
 *
 * <p>Printable Latin-1 bytes ({@code '!'..'~'}, {@code '¡'..'¬'}, {@code '®'..'ÿ'}) map to themselves; the
 * other 68 bytes map, in increasing byte order, to {@code U+0100, U+0101, ...}. The base vocabulary of
 * CLIP lists the 256 characters in that order: first the printable bytes ascending, then the others.
 */
final class ByteLevelAlphabet {

  private static final char[] BYTE_TO_CHAR = new char[256];
  /** The 256 characters in vocabulary order. */
  private static final char[] VOCAB_ORDER = new char[256];

  static {
    int k = 0;
    boolean[] printable = new boolean[256];
    for (int b = 0; b < 256; b++) {
      printable[b] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      if (printable[b]) {
        BYTE_TO_CHAR[b] = (char) b;
        VOCAB_ORDER[k++] = (char) b;
      }
    }
    int next = 256;
    for (int b = 0; b < 256; b++) {
      if (!printable[b]) {
        BYTE_TO_CHAR[b] = (char) next++;
        VOCAB_ORDER[k++] = BYTE_TO_CHAR[b];
      }
    }
  }

  private ByteLevelAlphabet() {}

  /** The character standing for byte {@code b} (0-255). */
  static char charOf(int b) {
    return BYTE_TO_CHAR[b & 0xFF];
  }

  /** The {@code i}-th base symbol of the vocabulary (0-255). */
  static char vocabSymbol(int i) {
    return VOCAB_ORDER[i];
  }

  /** The UTF-8 bytes of {@code word}, each replaced by its character. */
  static String encode(String word) {
    byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
    char[] out = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = charOf(bytes[i]);
    }
    return new String(out);
  }
}
