package io.github.argrpo.models.text.t5;

import java.nio.charset.StandardCharsets;

/** The UTF-8 rules SentencePiece applies (util.h), which differ from Java's in small ways. */
final class Utf8 {

  private Utf8() {}

  /**
   * The length of the well-formed character at {@code s[i]}, or -1 if it is malformed (then
   * SentencePiece consumes one byte and writes U+FFFD). Overlong forms, surrogates and code points
   * above U+10FFFF are malformed.
   */
  static int validCharLength(byte[] s, int i, int end) {
    int b0 = s[i] & 0xFF;
    if (b0 < 0x80) {
      return 1;
    }
    int len = end - i;
    if (len >= 2 && (b0 & 0xE0) == 0xC0) {
      int cp = (b0 & 0x1F) << 6 | (s[i + 1] & 0x3F);
      if (isTrail(s[i + 1]) && cp >= 0x80 && isValidCodepoint(cp)) {
        return 2;
      }
    } else if (len >= 3 && (b0 & 0xF0) == 0xE0) {
      int cp = (b0 & 0x0F) << 12 | (s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
      if (isTrail(s[i + 1]) && isTrail(s[i + 2]) && cp >= 0x800 && isValidCodepoint(cp)) {
        return 3;
      }
    } else if (len >= 4 && (b0 & 0xF8) == 0xF0) {
      int cp = (b0 & 0x07) << 18 | (s[i + 1] & 0x3F) << 12 | (s[i + 2] & 0x3F) << 6
          | (s[i + 3] & 0x3F);
      if (isTrail(s[i + 1]) && isTrail(s[i + 2]) && isTrail(s[i + 3]) && cp >= 0x10000
          && isValidCodepoint(cp)) {
        return 4;
      }
    }
    return -1;
  }

  /** SentencePiece's OneCharLen: the length the lead byte announces, whether or not it is right. */
  static int announcedLength(byte b) {
    int hi = (b & 0xFF) >>> 4;
    return hi < 12 ? 1 : hi < 14 ? 2 : hi == 14 ? 3 : 4;
  }

  /**
   * Encodes {@code s} as UTF-8. An unpaired surrogate, which UTF-8 cannot carry, becomes U+FFFD:
   * the character SentencePiece writes for any malformed input (Java's encoder would write '?').
   */
  static byte[] encode(String s) {
    boolean clean = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          clean = false;
          break;
        }
      }
    }
    if (clean) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    StringBuilder fixed = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        fixed.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        fixed.append('\uFFFD');
      } else {
        fixed.append(c);
      }
    }
    return fixed.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String decode(byte[] b, int from, int to) {
    return new String(b, from, to - from, StandardCharsets.UTF_8);
  }

  private static boolean isTrail(byte b) {
    return (b & 0xC0) == 0x80;
  }

  private static boolean isValidCodepoint(int cp) {
    return cp < 0xD800 || (cp >= 0xE000 && cp <= 0x10FFFF);
  }
}
