package io.github.argrpo.models.text.t5;

import java.util.Arrays;

/**
 * SentencePiece's text normalizer (normalizer.cc), over UTF-8 bytes: at each position the longest
 * charsmap rule replaces its source (no rule: one character is copied, and a malformed byte becomes
 * U+FFFD); spaces are then collapsed on the normalized output, escaped as {@code ▁}, and a dummy
 * {@code ▁} is prepended.
 *
 * <p>Quirks reproduced on purpose, because the model's scores were learned on their output:
 * <ul>
 *   <li>user-defined symbols are matched first and copied unnormalized;</li>
 *   <li>leading spaces are skipped only while a prefix normalizes to exactly one space;</li>
 *   <li>a run of spaces is collapsed across rule outputs ("a" + NBSP + " b" has one space);</li>
 *   <li>trailing {@code ▁} are stripped after escaping, so a literal U+2581 at the end of the text
 *       goes too, and a text that normalizes to nothing loses its dummy prefix;</li>
 *   <li>a malformed byte is one U+FFFD per byte, but a well-formed U+FFFD is an ordinary
 *       character.</li>
 * </ul>
 */
final class Normalizer {

  private static final byte[] SPACE_SYMBOL = {(byte) 0xE2, (byte) 0x96, (byte) 0x81};
  private static final byte[] REPLACEMENT_CHAR = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

  private final PrecompiledCharsMap charsMap;
  private final byte[] replacements;
  private final PieceTrie userDefined;
  private final boolean addDummyPrefix;
  private final boolean removeExtraWhitespaces;
  private final boolean escapeWhitespaces;
  private final boolean treatWhitespaceAsSuffix;

  Normalizer(NormalizerSpec spec, boolean treatWhitespaceAsSuffix, PieceTrie userDefined) {
    this.charsMap = PrecompiledCharsMap.parse(spec.charsmapUnsafe());
    this.replacements = charsMap.replacements();
    this.userDefined = userDefined;
    this.addDummyPrefix = spec.addDummyPrefix();
    this.removeExtraWhitespaces = spec.removeExtraWhitespaces();
    this.escapeWhitespaces = spec.escapeWhitespaces();
    this.treatWhitespaceAsSuffix = treatWhitespaceAsSuffix;
  }

  /** The normalized form of one prefix: bytes {@code [off, off + len)} of {@code src}. */
  private static final class Prefix {
    byte[] src;
    int off;
    int len;
    int consumed;
  }

  /** Normalizes UTF-8 {@code in} (which need not be well-formed) to UTF-8. */
  byte[] normalize(byte[] in) {
    int n = in.length;
    if (n == 0) {
      return in;
    }
    Prefix p = new Prefix();
    int pos = 0;
    if (removeExtraWhitespaces) {
      while (pos < n) {
        normalizePrefix(in, pos, p);
        if (!(p.len == 1 && p.src[p.off] == ' ')) {
          break;
        }
        pos += p.consumed;
      }
    }
    if (pos == n) {
      return new byte[0];
    }
    ByteSink out = new ByteSink(3 * (n - pos) + 6);
    if (!treatWhitespaceAsSuffix && addDummyPrefix) {
      addSpace(out);
    }
    boolean prevSpace = removeExtraWhitespaces;
    while (pos < n) {
      normalizePrefix(in, pos, p);
      int off = p.off;
      int end = p.off + p.len;
      // Spaces right after a space are dropped, even inside one rule's output.
      while (prevSpace && off < end && p.src[off] == ' ') {
        off++;
      }
      if (off < end) {
        for (int i = off; i < end; i++) {
          byte b = p.src[i];
          if (b == ' ' && escapeWhitespaces) {
            out.write(SPACE_SYMBOL);
          } else {
            out.write(b);
          }
        }
        prevSpace = p.src[end - 1] == ' ';
      }
      pos += p.consumed;
      if (!removeExtraWhitespaces) {
        prevSpace = false;
      }
    }
    if (removeExtraWhitespaces) {
      byte[] space = escapeWhitespaces ? SPACE_SYMBOL : new byte[] {' '};
      while (out.endsWith(space)) {
        out.truncate(out.size() - space.length);
      }
    }
    if (treatWhitespaceAsSuffix && addDummyPrefix) {
      addSpace(out);
    }
    return out.toByteArray();
  }

  private void addSpace(ByteSink out) {
    if (escapeWhitespaces) {
      out.write(SPACE_SYMBOL);
    } else {
      out.write((byte) ' ');
    }
  }

  /** SentencePiece's NormalizePrefix: what the text at {@code pos} becomes and how much it uses. */
  private void normalizePrefix(byte[] in, int pos, Prefix p) {
    int n = in.length;
    if (userDefined != null) {
      int len = userDefined.longestPrefix(in, pos, n);
      if (len > 0) {
        set(p, in, pos, len, len);
        return;
      }
    }
    long match = charsMap.longestMatch(in, pos, n);
    if (match >= 0) {
      int length = (int) (match >>> 32);
      int offset = (int) match;
      int end = offset;
      while (replacements[end] != 0) {
        end++;
      }
      set(p, replacements, offset, end - offset, length);
      return;
    }
    int len = Utf8.validCharLength(in, pos, n);
    if (len < 0) {
      set(p, REPLACEMENT_CHAR, 0, 3, 1);
    } else {
      set(p, in, pos, len, len);
    }
  }

  private static void set(Prefix p, byte[] src, int off, int len, int consumed) {
    p.src = src;
    p.off = off;
    p.len = len;
    p.consumed = consumed;
  }

  /** A growable byte buffer that can drop its tail. */
  private static final class ByteSink {
    private byte[] buf;
    private int size;

    ByteSink(int capacity) {
      buf = new byte[Math.max(16, capacity)];
    }

    void write(byte b) {
      ensure(1);
      buf[size++] = b;
    }

    void write(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, size, b.length);
      size += b.length;
    }

    boolean endsWith(byte[] b) {
      if (size < b.length) {
        return false;
      }
      for (int i = 0; i < b.length; i++) {
        if (buf[size - b.length + i] != b[i]) {
          return false;
        }
      }
      return true;
    }

    int size() {
      return size;
    }

    void truncate(int newSize) {
      size = newSize;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, size);
    }

    private void ensure(int extra) {
      if (size + extra > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
      }
    }
  }
}
