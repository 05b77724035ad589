package io.github.argrpo.models.text;

import static com.google.common.base.Preconditions.checkNotNull;

import io.github.argrpo.core.text.HtmlEntities;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The caption cleaning LlamaGen applies to every prompt before the FLAN-T5 tokenizer: a Java port
 * of {@code clean_caption} in LlamaGen's {@code language/t5.py} (class {@code T5Embedder}, itself
 * taken from PixArt / DeepFloyd IF), which AR-GRPO uses unchanged.
 *
 * <pre>{@code
 * String once = CaptionCleaner.clean("A <b>red</b> cube on www.example.com");   // "a red cube on"
 * String forT5 = CaptionCleaner.cleanForT5(prompt);   // what T5Embedder feeds the tokenizer
 * }</pre>
 *
 * <p><b>How many passes.</b> {@code T5Embedder.text_preprocessing} already calls
 * {@code clean_caption} twice ("the exact text cleaning as was in the training stage"). LlamaGen's
 * {@code sample_t2i.py} reaches it once per prompt through {@code get_text_embeddings}, and
 * AR-GRPO's {@code text_tokenize} once per prompt too, so both feed T5 exactly two passes:
 * {@link #cleanForT5} = {@code clean(clean(x))}. {@link #clean} is one pass.
 *
 * <p><b>Steps of one pass</b>, in the reference order: percent-decoding ({@code unquote_plus});
 * Python {@code strip()} and {@code lower()}; {@code <person>}; two URL rules; HTML to text
 * ({@code BeautifulSoup(html.parser).text}, see {@link HtmlText}); {@code @handles}; seven CJK
 * blocks; dashes; quotes; {@code &quot;}/{@code &amp}; IP addresses; article ids; literal
 * {@code \n}; {@code #123}; long numbers; file names; repeated quotes and dots; "bad punctuation";
 * {@code " . "}; {@code this-is-a-slug}; {@code ftfy.fix_text} (see {@link FixText}) and
 * {@code html.unescape} twice; product codes; shipping/download/click/page phrases; sizes like
 * {@code 1920x1080}; spacing after punctuation; whitespace runs; edge quotes and punctuation.
 *
 * <p><b>Python regex semantics.</b> Python's {@code \w}, {@code \d}, {@code \s} and {@code \b} are
 * Unicode-aware for str patterns and differ from Java's even with
 * {@code UNICODE_CHARACTER_CLASS} (Java's {@code \w} takes combining marks, Python's takes
 * {@code No} digits like '²'; Python's {@code \s} takes U+001C..U+001F). The patterns here are
 * therefore written with the explicit classes {@link #W}, {@link #D}, {@link #S} and the boundary
 * {@link #B}, and {@code $} runs under {@code UNIX_LINES} so that, as in Python, it only skips a
 * final {@code '\n'}.
 *
 * <p><b>Known differences</b> (exercised, where they show, by the fixture
 * {@code text/caption_cleaner_cases.json}):
 * <ul>
 *   <li>ftfy's mojibake repair is reduced to its main path: a line whose characters encode in
 *       Latin-1 or sloppy Windows-1252 to valid UTF-8 is decoded, and C1 controls are read as
 *       Windows-1252. ftfy's badness heuristic, the other eight single-byte encodings,
 *       {@code restore_byte_a0} (a space that stood for U+00A0), {@code replace_lossy_sequences},
 *       {@code decode_inconsistent_utf8} and CESU-8 are not ported. The clean runs {@code lower()}
 *       first, which already breaks most Latin-1 mojibake ('Ã' becomes 'ã') in the reference too.
 *   <li>Markup Python's parser rejects ({@code <![foo ...}) raises in the reference; here it is
 *       skipped like a bogus comment.
 *   <li>Unicode tables are Java's (Unicode 13 in Java 17) rather than Python 3.11's (Unicode 14).
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class CaptionCleaner {

  private CaptionCleaner() {}

  /** Python {@code str.isspace()} characters, as the body of a character class. */
  static final String SPACE_CHARS =
      "\\t\\n\\x0B\\f\\r\\x1C-\\x20\\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";
  /** Python {@code \s}. */
  static final String S = "[" + SPACE_CHARS + "]";
  /** Python {@code \S}. */
  static final String NS = "[^" + SPACE_CHARS + "]";
  /** Python {@code \w} (letters, numbers of every kind, underscore), as a class body. */
  static final String W_CHARS = "\\p{L}\\p{N}_";
  /** Python {@code \w}. */
  static final String W = "[" + W_CHARS + "]";
  /** Python {@code \d} (decimal digits of any script). */
  static final String D = "\\p{Nd}";
  /** Python {@code \D}. */
  static final String ND = "\\P{Nd}";
  /** Python {@code \b}: between a {@link #W} and a non-{@link #W} (or an end). */
  static final String B = "(?:(?<=" + W + ")(?!" + W + ")|(?<!" + W + ")(?=" + W + "))";

  private static Pattern p(String regex) {
    return Pattern.compile(regex, Pattern.UNIX_LINES);
  }

  private static final String TLDS = "(?:com|co|ru|net|org|edu|gov|it)";
  // URLs: "http(s):" + slashes or a character, or a dotted host on a listed TLD with its path.
  // The (?!@) keeps e-mail-like "name.com@" alone.
  private static final Pattern URL_HTTP = p(B + "((?:https?:(?:/{1,3}|[a-zA-Z0-9%])|[a-zA-Z0-9.\\-]+[.]"
      + TLDS + "[" + W_CHARS + "/-]*" + B + "/?(?!@)))");
  // The same with "www:" (sic, the reference has a colon) in place of "https?:".
  private static final Pattern URL_WWW = p(B + "((?:www:(?:/{1,3}|[a-zA-Z0-9%])|[a-zA-Z0-9.\\-]+[.]"
      + TLDS + "[" + W_CHARS + "/-]*" + B + "/?(?!@)))");
  // @nickname
  private static final Pattern HANDLE = p("@" + W + "+" + B);
  // CJK Strokes, Katakana Phonetic Ext., Enclosed CJK, CJK Compatibility, Ext. A, Yijing, Unified
  // Ideographs: removed (the reference uses seven separate rules; the ranges do not interact).
  private static final Pattern CJK = p("[\\u31C0-\\u31EF\\u31F0-\\u31FF\\u3200-\\u32FF\\u3300-\\u33FF"
      + "\\u3400-\\u4DBF\\u4DC0-\\u4DFF\\u4E00-\\u9FFF]+");
  // Every kind of dash (and a run of them) becomes one '-'.
  private static final Pattern DASHES = p("[\\u002D\\u058A\\u05BE\\u1400\\u1806\\u2010-\\u2015\\u2E17"
      + "\\u2E1A\\u2E3A\\u2E3B\\u2E40\\u301C\\u3030\\u30A0\\uFE31\\uFE32\\uFE58\\uFE63\\uFF0D]+");
  private static final Pattern DOUBLE_QUOTES = p("[`\u00B4\u00AB\u00BB\u201C\u201D\u00A8]");
  private static final Pattern SINGLE_QUOTES = p("[\u2018\u2019]");
  private static final Pattern QUOT = p("&quot;?");
  private static final Pattern AMP = p("&amp");
  // IPv4-looking addresses become a space.
  private static final Pattern IP = p(D + "{1,3}\\." + D + "{1,3}\\." + D + "{1,3}\\." + D + "{1,3}");
  // "article ids": a trailing "1:23 ".
  private static final Pattern ARTICLE_ID = p(D + ":" + D + D + S + "+$");
  // A literal backslash-n (escaped newline in scraped captions).
  private static final Pattern ESCAPED_NEWLINE = p("\\\\n");
  private static final Pattern HASH_SHORT = p("#" + D + "{1,3}" + B);
  private static final Pattern HASH_LONG = p("#" + D + "{5,}" + B);
  private static final Pattern LONG_NUMBER = p(B + D + "{6,}" + B);
  // File names: any non-space run ending in a listed extension.
  private static final Pattern FILENAME = p(NS + "+\\.(?:png|jpg|jpeg|bmp|webp|eps|pdf|apk|mp4)");
  private static final Pattern QUOTE_RUN = p("[\"']{2,}");
  private static final Pattern DOT_RUN = p("[.]{2,}");
  // ***AUSVERKAUFT***, #AUSVERKAUFT: runs of these symbols become a space.
  private static final Pattern BAD_PUNCT =
      p("[#\u00AE\u2022\u00A9\u2122\\&@\u00B7\u00BA\u00BD\u00BE\u00BF\u00A1\u00A7~)(\\]\\[}{|\\\\/*]+");
  private static final Pattern LONE_DOT = p(S + "+\\." + S + "+");
  // this-is-my-cute-cat / this_is_my_cute_cat: with more than three, all become spaces.
  private static final Pattern SLUG_SEPARATOR = p("[-_]");
  // Product codes: jc6640, jc6640vc, 6640vc231.
  private static final Pattern CODE_1 = p(B + "[a-zA-Z]{1,3}" + D + "{3,15}" + B);
  private static final Pattern CODE_2 = p(B + "[a-zA-Z]+" + D + "+[a-zA-Z]+" + B);
  private static final Pattern CODE_3 = p(B + D + "+[a-zA-Z]+" + D + "+" + B);
  private static final Pattern SHIPPING = p("(worldwide" + S + "+)?(free" + S + "+)?shipping");
  private static final Pattern DOWNLOAD = p("(free" + S + ")?download(" + S + "free)?");
  private static final Pattern CLICK = p(B + "click" + B + S + "(?:for|on)" + S + W + "+");
  private static final Pattern EXTENSION_WORD =
      p(B + "(?:png|jpg|jpeg|bmp|webp|eps|pdf|apk|mp4)(" + S + "image[s]?)?");
  private static final Pattern PAGE = p(B + "page" + S + "+" + D + "+" + B);
  // j2d1a2a...: letter/digit alternations become a space.
  private static final Pattern CODE_4 = p(B + D + "*[a-zA-Z]+" + D + "+[a-zA-Z]+" + D + "+[a-zA-Z"
      + D + "]*" + B);
  // Sizes: 1920x1080, 2.5×3 (Latin x, Cyrillic х, multiplication sign).
  private static final Pattern SIZE = p(B + D + "+\\.?" + D + "*[x\u0445\u00D7]" + D + "+\\.?" + D + "*" + B);
  private static final Pattern SPACED_COLON = p(B + S + "+:" + S + "+");
  private static final Pattern PUNCT_THEN_WORD = p("(" + ND + "[,./])" + B);
  private static final Pattern SPACES = p(S + "+");
  private static final Pattern QUOTED_WHOLE = p("^[\"']([\\s\\S]+)[\"']$");
  private static final Pattern LEADING_PUNCT = p("^['_,\\-:;]");
  private static final Pattern TRAILING_PUNCT = p("['_,\\-:\\-+]$");
  private static final Pattern DOT_WORD = p("^\\." + NS + "+$");

  /**
   * Two passes of {@link #clean}: what LlamaGen's {@code T5Embedder.text_preprocessing} (and so
   * {@code get_text_embeddings} and AR-GRPO's {@code text_tokenize}) hands the T5 tokenizer.
   */
  public static String cleanForT5(String caption) {
    return clean(clean(caption));
  }

  /** One pass of LlamaGen's {@code clean_caption}. Never returns null; throws only on null input. */
  public static String clean(String caption) {
    checkNotNull(caption, "caption must not be null");
    String c = unquotePlus(caption);
    c = pyStrip(c).toLowerCase(Locale.ROOT);
    c = c.replace("<person>", "person");
    c = URL_HTTP.matcher(c).replaceAll("");
    c = URL_WWW.matcher(c).replaceAll("");
    c = HtmlText.of(c);
    c = HANDLE.matcher(c).replaceAll("");
    c = CJK.matcher(c).replaceAll("");
    c = DASHES.matcher(c).replaceAll("-");
    c = DOUBLE_QUOTES.matcher(c).replaceAll("\"");
    c = SINGLE_QUOTES.matcher(c).replaceAll("'");
    c = QUOT.matcher(c).replaceAll("");
    c = AMP.matcher(c).replaceAll("");
    c = IP.matcher(c).replaceAll(" ");
    c = ARTICLE_ID.matcher(c).replaceAll("");
    c = ESCAPED_NEWLINE.matcher(c).replaceAll(" ");
    c = HASH_SHORT.matcher(c).replaceAll("");
    c = HASH_LONG.matcher(c).replaceAll("");
    c = LONG_NUMBER.matcher(c).replaceAll("");
    c = FILENAME.matcher(c).replaceAll("");
    c = QUOTE_RUN.matcher(c).replaceAll("\"");
    c = DOT_RUN.matcher(c).replaceAll(" ");
    c = BAD_PUNCT.matcher(c).replaceAll(" ");
    c = LONE_DOT.matcher(c).replaceAll(" ");
    Matcher slug = SLUG_SEPARATOR.matcher(c);
    int separators = 0;
    while (slug.find()) {
      separators++;
    }
    if (separators > 3) {
      c = slug.replaceAll(" ");
    }
    // basic_clean
    c = FixText.fix(c);
    c = HtmlEntities.unescape(HtmlEntities.unescape(c));
    c = pyStrip(c);

    c = CODE_1.matcher(c).replaceAll("");
    c = CODE_2.matcher(c).replaceAll("");
    c = CODE_3.matcher(c).replaceAll("");
    c = SHIPPING.matcher(c).replaceAll("");
    c = DOWNLOAD.matcher(c).replaceAll("");
    c = CLICK.matcher(c).replaceAll("");
    c = EXTENSION_WORD.matcher(c).replaceAll("");
    c = PAGE.matcher(c).replaceAll("");
    c = CODE_4.matcher(c).replaceAll(" ");
    c = SIZE.matcher(c).replaceAll("");
    c = SPACED_COLON.matcher(c).replaceAll(": ");
    c = PUNCT_THEN_WORD.matcher(c).replaceAll("$1 ");
    c = SPACES.matcher(c).replaceAll(" ");
    // The reference calls caption.strip() here and drops the result: no strip at this point.
    c = QUOTED_WHOLE.matcher(c).replaceAll("$1");
    c = LEADING_PUNCT.matcher(c).replaceAll("");
    c = TRAILING_PUNCT.matcher(c).replaceAll("");
    c = DOT_WORD.matcher(c).replaceAll("");
    return pyStrip(c);
  }

  /** Python {@code str.isspace()} for one UTF-16 unit (all such characters are in the BMP). */
  static boolean pyIsSpace(char ch) {
    return (ch >= 0x09 && ch <= 0x0D) || (ch >= 0x1C && ch <= 0x20) || ch == 0x85 || ch == 0xA0
        || ch == 0x1680 || (ch >= 0x2000 && ch <= 0x200A) || ch == 0x2028 || ch == 0x2029
        || ch == 0x202F || ch == 0x205F || ch == 0x3000;
  }

  /** Python {@code str.strip()} (not Java's {@code strip()}, which keeps U+00A0, U+202F...). */
  static String pyStrip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && pyIsSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && pyIsSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /**
   * Python {@code urllib.parse.unquote_plus}: '+' to space, then {@code %XX} runs decoded as UTF-8
   * with U+FFFD for bad bytes; a '%' without two hex digits stays as it is (Java's
   * {@code URLDecoder} would throw there).
   */
  static String unquotePlus(String s) {
    s = s.replace('+', ' ');
    if (s.indexOf('%') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char ch = s.charAt(i);
      if (ch >= 0x80) {
        // Python decodes each ASCII run on its own; other characters pass through untouched.
        flushUtf8(bytes, out);
        out.append(ch);
      } else if (ch == '%' && i + 2 < n && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
        bytes.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
        i += 2;
      } else {
        bytes.write(ch);
      }
    }
    flushUtf8(bytes, out);
    return out.toString();
  }

  private static void flushUtf8(ByteArrayOutputStream bytes, StringBuilder out) {
    if (bytes.size() > 0) {
      out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
      bytes.reset();
    }
  }

  static int hex(char ch) {
    if (ch >= '0' && ch <= '9') {
      return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
      return ch - 'a' + 10;
    }
    if (ch >= 'A' && ch <= 'F') {
      return ch - 'A' + 10;
    }
    return -1;
  }

  /** Strict UTF-8 decoding; null when the bytes are not valid UTF-8. */
  static String decodeUtf8OrNull(byte[] bytes) {
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * Windows-1252's characters for bytes 0x80..0x9F; 0 where the code page leaves the byte
   * undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D).
   */
  static final char[] CP1252_C1 = {
      '\u20AC', 0, '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021',
      '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', 0, '\u017D', 0,
      0, '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014',
      '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', 0, '\u017E', '\u0178'};

  /** Parses ASCII digits; anything above 0x10FFFF comes back as 0x110000. */
  static long parseCapped(String digits, int radix) {
    long value = 0;
    for (int i = 0; i < digits.length(); i++) {
      value = value * radix + Character.digit(digits.charAt(i), radix);
      if (value > 0x10FFFF) {
        return 0x110000;
      }
    }
    return value;
  }

}
