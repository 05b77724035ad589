package io.github.argrpo.models.text;

import io.github.argrpo.core.text.HtmlEntities;
import static io.github.argrpo.models.text.CaptionCleaner.CP1252_C1;
import static io.github.argrpo.models.text.CaptionCleaner.decodeUtf8OrNull;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of {@code ftfy.fix_text} (ftfy 6.3.1, default configuration) that matter for
 * captions ({@code html.unescape} is {@link HtmlEntities#unescape}). Per line, repeated until nothing changes:
 * HTML entities (only while no line so far had a '<'), mojibake (reduced, see the class
 * Javadoc), C1 controls as Windows-1252, Latin ligatures, full/half width forms, curly quotes,
 * line breaks, lone surrogates, terminal escapes, control characters, NFC.
 */
final class FixText {
  private static final Pattern FTFY_ENTITY = Pattern.compile("&#?[0-9A-Za-z]{1,24};");
  private static final Pattern TERMINAL_ESCAPE = Pattern.compile("\u001B\\[(?:\\p{Nd}|;)*[a-zA-Z]");

  private FixText() {}

  static String fix(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean unescape = true;
    int pos = 0;
    while (pos < text.length()) {
      int nl = text.indexOf('\n', pos);
      int end = nl < 0 ? text.length() : nl + 1;
      String segment = text.substring(pos, end);
      if (segment.indexOf('<') >= 0) {
        unescape = false;   // ftfy overwrites its config here, so it sticks for later lines
      }
      out.append(fixSegment(segment, unescape));
      pos = end;
    }
    return out.toString();
  }

  private static String fixSegment(String text, boolean unescape) {
    while (true) {
      String before = text;
      if (unescape) {
        text = ftfyUnescape(text);
      }
      text = fixEncoding(text);
      text = fixC1(text);
      text = fixLigaturesAndWidth(text);
      text = text.replaceAll("[\u02BC\u2018-\u201B]", "'").replaceAll("[\u201C-\u201F]", "\"");
      text = text.replace("\r\n", "\n").replace('\r', '\n').replace('\u2028', '\n')
          .replace('\u2029', '\n').replace('\u0085', '\n');
      text = fixSurrogates(text);
      text = TERMINAL_ESCAPE.matcher(text).replaceAll("");
      text = removeControlChars(text);
      text = Normalizer.normalize(text, Normalizer.Form.NFC);
      if (text.equals(before)) {
        return text;
      }
    }
  }

  /** ftfy's {@code unescape_html}: only {@code &...;} forms, plus upper-cased names (&EACUTE;). */
  static String ftfyUnescape(String text) {
    if (text.indexOf('&') < 0) {
      return text;
    }
    Matcher m = FTFY_ENTITY.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String entity = m.group();
      String name = entity.substring(1, entity.length() - 1);
      String value = HtmlEntities.named(name + ";");
      if (value == null && !name.startsWith("#")) {
        // ftfy adds "&NAME;" for every lower-case "&name;" whose upper-case form html.unescape
        // leaves alone ("&LTIMES;" is not added: html.unescape reads it as "&LT" + "IMES;")
        String lower = name.toLowerCase(Locale.ROOT);
        String base = HtmlEntities.named(lower + ";");
        if (base != null && name.equals(lower.toUpperCase(Locale.ROOT)) && !name.equals(lower)
            && HtmlEntities.unescape(entity).equals(entity)) {
          value = base.toUpperCase(Locale.ROOT);
        }
      } else if (value == null) {
        String unescaped = HtmlEntities.unescape(entity);
        value = unescaped.indexOf(';') >= 0 ? entity : unescaped;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : entity));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * ftfy's {@code fix_encoding}, main path only: a line that encodes in Latin-1 or sloppy
   * Windows-1252 to valid UTF-8 is decoded; repeated while that changes something.
   */
  static String fixEncoding(String text) {
    while (true) {
      String before = text;
      if (!isAscii(text)) {
        String fixed = decodeAs(latin1Bytes(text));
        if (fixed == null) {
          fixed = decodeAs(sloppyCp1252Bytes(text));
        }
        if (fixed != null) {
          text = fixed;
        }
      }
      if (text.equals(before)) {
        return text;
      }
    }
  }

  private static String decodeAs(byte[] bytes) {
    return bytes == null ? null : decodeUtf8OrNull(bytes);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static byte[] latin1Bytes(String s) {
    byte[] out = new byte[s.length()];
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch > 0xFF) {
        return null;
      }
      out[i] = (byte) ch;
    }
    return out;
  }

  /** ftfy's "sloppy" Windows-1252: the five undefined bytes stand for themselves. */
  private static byte[] sloppyCp1252Bytes(String s) {
    byte[] out = new byte[s.length()];
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      int b = -1;
      if (ch < 0x80 || (ch >= 0xA0 && ch <= 0xFF)) {
        b = ch;
      } else if (ch >= 0x80 && ch <= 0x9F && CP1252_C1[ch - 0x80] == 0) {
        b = ch;
      } else {
        for (int k = 0; k < CP1252_C1.length; k++) {
          if (CP1252_C1[k] == ch && ch != 0) {
            b = 0x80 + k;
            break;
          }
        }
      }
      if (b < 0) {
        return null;
      }
      out[i] = (byte) b;
    }
    return out;
  }

  /** C1 controls read as the Windows-1252 characters they almost always were. */
  static String fixC1(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch >= 0x80 && ch <= 0x9F && CP1252_C1[ch - 0x80] != 0) {
        if (out == null) {
          out = new StringBuilder(text);
        }
        out.setCharAt(i, CP1252_C1[ch - 0x80]);
      }
    }
    return out == null ? text : out.toString();
  }

  private static String fixLigaturesAndWidth(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      String lig = ligature(ch);
      if (lig != null) {
        out.append(lig);
      } else if (ch == '\u3000') {
        out.append(' ');
      } else if (ch >= 0xFF01 && ch <= 0xFFEF) {
        out.append(Normalizer.normalize(String.valueOf(ch), Normalizer.Form.NFKC));
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }

  /** ftfy's Latin ligatures and legacy digraphs (it leaves æ, œ and non-Latin ones alone). */
  private static String ligature(char ch) {
    switch (ch) {
      case '\u0132': return "IJ";
      case '\u0133': return "ij";
      case '\u0149': return "\u02BCn";
      case '\u01F1': return "DZ";
      case '\u01F2': return "Dz";
      case '\u01F3': return "dz";
      case '\u01C4': return "D\u017D";
      case '\u01C5': return "D\u017E";
      case '\u01C6': return "d\u017E";
      case '\u01C7': return "LJ";
      case '\u01C8': return "Lj";
      case '\u01C9': return "lj";
      case '\u01CA': return "NJ";
      case '\u01CB': return "Nj";
      case '\u01CC': return "nj";
      case '\uFB00': return "ff";
      case '\uFB01': return "fi";
      case '\uFB02': return "fl";
      case '\uFB03': return "ffi";
      case '\uFB04': return "ffl";
      case '\uFB05': return "\u017Ft";
      case '\uFB06': return "st";
      default: return null;
    }
  }

  /** Lone surrogates become U+FFFD (pairs are already single code points in Java). */
  private static String fixSurrogates(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (Character.isHighSurrogate(ch) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(ch)) {
        if (out == null) {
          out = new StringBuilder(text);
        }
        out.setCharAt(i, '\uFFFD');
      }
    }
    return out == null ? text : out.toString();
  }

  /** U+0000-0008, 000B, 000E-001F, 007F, 206A-206F, FEFF, FFF9-FFFC (whitespace controls stay). */
  private static String removeControlChars(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      boolean control = ch <= 0x08 || ch == 0x0B || (ch >= 0x0E && ch <= 0x1F) || ch == 0x7F
          || (ch >= 0x206A && ch <= 0x206F) || ch == 0xFEFF || (ch >= 0xFFF9 && ch <= 0xFFFC);
      if (!control) {
        out.append(ch);
      }
    }
    return out.length() == text.length() ? text : out.toString();
  }
}
