package io.github.argrpo.models.text;

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
import java.util.Objects;
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
 *   <li>Named HTML entities: the 252 HTML 4 names, {@code &apos;} and the HTML 5 upper-case
 *       aliases ({@code AMP COPY GT LT QUOT REG TRADE}), with HTML 5's values; the ~2,000 other
 *       HTML 5 names ({@code &check;}, {@code &NewLine;}) are left as text.
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
    Objects.requireNonNull(caption, "caption must not be null");
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
    c = FixText.htmlUnescape(FixText.htmlUnescape(c));
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

  /**
   * HTML named entities: the HTML 4 set (values as in HTML 5), {@code apos} and HTML 5's upper-case
   * aliases. Names without the ';'.
   */
  static final Map<String, String> ENTITIES = new HashMap<>();
  /** Names HTML 5 also recognises without a ';' ({@code &amp}, {@code &eacute}...). */
  static final Set<String> LEGACY_ENTITIES = new HashSet<>();

  static {
    String latin1 = "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr"
        + " deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34"
        + " iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave"
        + " Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute"
        + " Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave"
        + " eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml"
        + " divide oslash ugrave uacute ucirc uuml yacute thorn yuml";
    int code = 0xA0;
    for (String name : latin1.split(" ")) {
      ENTITIES.put(name, String.valueOf((char) code++));
      LEGACY_ENTITIES.add(name);
    }
    String others = "quot=22 amp=26 lt=3c gt=3e apos=27 AMP=26 LT=3c GT=3e QUOT=22 COPY=a9 REG=ae"
        + " TRADE=2122 OElig=152 oelig=153 Scaron=160 scaron=161 Yuml=178 fnof=192 circ=2c6"
        + " tilde=2dc Alpha=391 Beta=392 Gamma=393 Delta=394 Epsilon=395 Zeta=396 Eta=397 Theta=398"
        + " Iota=399 Kappa=39a Lambda=39b Mu=39c Nu=39d Xi=39e Omicron=39f Pi=3a0 Rho=3a1 Sigma=3a3"
        + " Tau=3a4 Upsilon=3a5 Phi=3a6 Chi=3a7 Psi=3a8 Omega=3a9 alpha=3b1 beta=3b2 gamma=3b3"
        + " delta=3b4 epsilon=3b5 zeta=3b6 eta=3b7 theta=3b8 iota=3b9 kappa=3ba lambda=3bb mu=3bc"
        + " nu=3bd xi=3be omicron=3bf pi=3c0 rho=3c1 sigmaf=3c2 sigma=3c3 tau=3c4 upsilon=3c5"
        + " phi=3c6 chi=3c7 psi=3c8 omega=3c9 thetasym=3d1 upsih=3d2 piv=3d6 ensp=2002 emsp=2003"
        + " thinsp=2009 zwnj=200c zwj=200d lrm=200e rlm=200f ndash=2013 mdash=2014 lsquo=2018"
        + " rsquo=2019 sbquo=201a ldquo=201c rdquo=201d bdquo=201e dagger=2020 Dagger=2021 bull=2022"
        + " hellip=2026 permil=2030 prime=2032 Prime=2033 lsaquo=2039 rsaquo=203a oline=203e"
        + " frasl=2044 euro=20ac image=2111 weierp=2118 real=211c trade=2122 alefsym=2135 larr=2190"
        + " uarr=2191 rarr=2192 darr=2193 harr=2194 crarr=21b5 lArr=21d0 uArr=21d1 rArr=21d2"
        + " dArr=21d3 hArr=21d4 forall=2200 part=2202 exist=2203 empty=2205 nabla=2207 isin=2208"
        + " notin=2209 ni=220b prod=220f sum=2211 minus=2212 lowast=2217 radic=221a prop=221d"
        + " infin=221e ang=2220 and=2227 or=2228 cap=2229 cup=222a int=222b there4=2234 sim=223c"
        + " cong=2245 asymp=2248 ne=2260 equiv=2261 le=2264 ge=2265 sub=2282 sup=2283 nsub=2284"
        + " sube=2286 supe=2287 oplus=2295 otimes=2297 perp=22a5 sdot=22c5 lceil=2308 rceil=2309"
        + " lfloor=230a rfloor=230b lang=27e8 rang=27e9 loz=25ca spades=2660 clubs=2663"
        + " hearts=2665 diams=2666";
    for (String entry : others.split(" ")) {
      int eq = entry.indexOf('=');
      ENTITIES.put(entry.substring(0, eq), String.valueOf((char) Integer.parseInt(entry.substring(eq + 1), 16)));
    }
    LEGACY_ENTITIES.addAll(Set.of("quot", "amp", "lt", "gt", "QUOT", "AMP", "LT", "GT", "COPY", "REG"));
  }

  /**
   * {@code BeautifulSoup(markup, 'html.parser').text} as bs4 4.15 on Python 3.11's
   * {@code html.parser} computes it: the same two-phase scan ({@code feed} then {@code close}),
   * tags, comments, declarations and processing instructions dropped, CDATA kept,
   * {@code <script>}/{@code <style>} content dropped, entities and character references decoded
   * the way bs4 does (unknown {@code &name;} stays as {@code &name} without its ';'). The parser's
   * quirks are kept on purpose: at the very end of the text a two-character {@code &x} loses its
   * '&' ({@code "at&t"} gives {@code "att"}), and an unterminated {@code <tag} is text.
   */
  static final class HtmlText {
    private static final String SP = SPACE_CHARS;
    private static final Pattern CHARREF = Pattern.compile("&#(?:[0-9]+|[xX][0-9a-fA-F]+)[^0-9a-fA-F]");
    private static final Pattern ENTITYREF = Pattern.compile("&([a-zA-Z][-.a-zA-Z0-9]*)[^a-zA-Z0-9]");
    private static final Pattern TAGFIND =
        Pattern.compile("([a-zA-Z][^\\t\\n\\r\\f />\\x00]*)(?:" + S + "|/(?!>))*");
    private static final Pattern ATTRFIND = Pattern.compile("((?<=['\"" + SP + "/])[^" + SP + "/>][^" + SP
        + "/=>]*)(" + S + "*=+" + S + "*('[^']*'|\"[^\"]*\"|(?!['\"])[^>" + SP + "]*))?(?:" + S + "|/(?!>))*");
    private static final Pattern LOCATE_START_TAG_END = Pattern.compile("<[a-zA-Z][^\\t\\n\\r\\f />\\x00]*"
        + "(?:[" + SP + "/]*(?:(?<=['\"" + SP + "/])[^" + SP + "/>][^" + SP + "/=>]*(?:" + S + "*=+" + S
        + "*(?:'[^']*'|\"[^\"]*\"|(?!['\"])[^>" + SP + "]*)" + S + "*)?(?:" + S + "|/(?!>))*)*)?" + S + "*");
    private static final Pattern END_TAG_FIND =
        Pattern.compile("</" + S + "*([a-zA-Z][-.a-zA-Z0-9:_]*)" + S + "*>");
    private static final Pattern COMMENT_CLOSE = Pattern.compile("--" + S + "*>");
    private static final Pattern DECL_NAME = Pattern.compile("[a-zA-Z][-_.a-zA-Z0-9]*" + S + "*");
    private static final Pattern MARKED_SECTION_CLOSE = Pattern.compile("]" + S + "*]" + S + "*>");
    private static final Pattern MS_MARKED_SECTION_CLOSE = Pattern.compile("]" + S + "*>");

    private final StringBuilder text = new StringBuilder();
    private String raw;
    private String cdataElem;
    private Pattern cdataEnd;

    private HtmlText(String markup) {
      this.raw = markup;
    }

    static String of(String markup) {
      if (markup.indexOf('<') < 0 && markup.indexOf('&') < 0) {
        return markup;
      }
      HtmlText parser = new HtmlText(markup);
      parser.scan(false);
      parser.scan(true);
      return parser.text.toString();
    }

    private void data(String s) {
      if (cdataElem == null) {   // script and style strings are not part of .text
        text.append(s);
      }
    }

    private Matcher at(Pattern pattern, int from) {
      return pattern.matcher(raw).region(from, raw.length()).useTransparentBounds(true).useAnchoringBounds(false);
    }

    /** Python's {@code HTMLParser.goahead(end)} with {@code convert_charrefs=False}, as bs4 runs it. */
    private void scan(boolean end) {
      String r = raw;
      int n = r.length();
      int i = 0;
      while (i < n) {
        int j;
        if (cdataElem != null) {
          Matcher m = cdataEnd.matcher(r);
          if (!m.find(i)) {
            break;
          }
          j = m.start();
        } else {
          j = nextSpecial(r, i);
        }
        if (i < j) {
          data(r.substring(i, j));
        }
        i = j;
        if (i == n) {
          break;
        }
        if (r.charAt(i) == '<') {
          int k;
          if (i + 1 < n && isAsciiLetter(r.charAt(i + 1))) {
            k = parseStartTag(i);
          } else if (r.startsWith("</", i)) {
            k = parseEndTag(i);
          } else if (r.startsWith("<!--", i)) {
            k = parseComment(i);
          } else if (r.startsWith("<?", i)) {
            k = closeAfter(r.indexOf('>', i + 2));
          } else if (r.startsWith("<!", i)) {
            k = parseDeclaration(i);
          } else if (i + 1 < n) {
            data("<");
            k = i + 1;
          } else {
            break;
          }
          if (k < 0) {
            if (!end) {
              break;
            }
            k = r.indexOf('>', i + 1);
            if (k < 0) {
              k = r.indexOf('<', i + 1);
              if (k < 0) {
                k = i + 1;
              }
            } else {
              k += 1;
            }
            data(r.substring(i, k));
          }
          i = k;
        } else if (r.startsWith("&#", i)) {
          Matcher m = at(CHARREF, i);
          if (m.lookingAt()) {
            String ref = m.group();
            data(numericReference(ref.substring(2, ref.length() - 1)));
            int k = m.end();
            i = r.charAt(k - 1) == ';' ? k : k - 1;
            continue;
          }
          if (r.indexOf(';', i) >= 0) {   // "bail by consuming &#"
            data(r.substring(i, i + 2));
            i += 2;
          }
          break;
        } else {   // '&'
          Matcher m = at(ENTITYREF, i);
          if (m.lookingAt()) {
            String name = m.group(1);
            String value = ENTITIES.get(name);
            data(value != null ? value : "&" + name);
            int k = m.end();
            i = r.charAt(k - 1) == ';' ? k : k - 1;
            continue;
          }
          if (i + 1 < n && (isAsciiLetter(r.charAt(i + 1)) || r.charAt(i + 1) == '#')) {
            if (end && n - i == 2) {
              i += 1;   // the reference drops the '&' of a final "&x"
            }
            break;
          } else if (i + 1 < n) {
            data("&");
            i += 1;
          } else {
            break;
          }
        }
      }
      if (end && i < n && cdataElem == null) {
        data(r.substring(i));
        i = n;
      }
      raw = r.substring(i);
    }

    private static int nextSpecial(String r, int from) {
      for (int j = from; j < r.length(); j++) {
        char ch = r.charAt(j);
        if (ch == '<' || ch == '&') {
          return j;
        }
      }
      return r.length();
    }

    private static boolean isAsciiLetter(char ch) {
      return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
    }

    private static int closeAfter(int gt) {
      return gt < 0 ? -1 : gt + 1;
    }

    private int parseStartTag(int i) {
      int endpos = wholeStartTagEnd(i);
      if (endpos < 0) {
        return endpos;
      }
      Matcher tag = at(TAGFIND, i + 1);
      tag.lookingAt();
      String name = tag.group(1).toLowerCase(Locale.ROOT);
      int k = tag.end();
      while (k < endpos) {
        Matcher attr = at(ATTRFIND, k);
        if (!attr.lookingAt()) {
          break;
        }
        k = attr.end();
      }
      String rest = pyStrip(raw.substring(Math.min(k, endpos), endpos));
      if (!rest.equals(">") && !rest.equals("/>")) {
        data(raw.substring(i, endpos));
        return endpos;
      }
      if (!rest.endsWith("/>") && (name.equals("script") || name.equals("style"))) {
        cdataElem = name;
        cdataEnd = Pattern.compile("</" + S + "*" + name + S + "*>", Pattern.CASE_INSENSITIVE);
      }
      return endpos;
    }

    private int wholeStartTagEnd(int i) {
      Matcher m = at(LOCATE_START_TAG_END, i);
      m.lookingAt();
      int j = m.end();
      if (j == raw.length()) {
        return -1;
      }
      char next = raw.charAt(j);
      if (next == '>') {
        return j + 1;
      }
      if (next == '/') {
        return raw.startsWith("/>", j) ? j + 2 : -1;
      }
      if (isAsciiLetter(next) || next == '=') {
        return -1;
      }
      return j > i ? j : i + 1;
    }

    private int parseEndTag(int i) {
      int gt = raw.indexOf('>', i + 1);
      if (gt < 0) {
        return -1;
      }
      int gtpos = gt + 1;
      Matcher m = at(END_TAG_FIND, i);
      if (!m.lookingAt()) {
        if (cdataElem != null) {
          data(raw.substring(i, gtpos));
          return gtpos;
        }
        Matcher name = at(TAGFIND, i + 2);
        if (!name.lookingAt()) {
          return raw.startsWith("</>", i) ? i + 3 : closeAfter(raw.indexOf('>', i + 2));
        }
        return raw.indexOf('>', name.end()) + 1;
      }
      String elem = m.group(1).toLowerCase(Locale.ROOT);
      if (cdataElem != null && !elem.equals(cdataElem)) {
        data(raw.substring(i, gtpos));
        return gtpos;
      }
      cdataElem = null;
      return gtpos;
    }

    private int parseComment(int i) {
      Matcher m = COMMENT_CLOSE.matcher(raw);
      return m.find(i + 4) ? m.end() : -1;
    }

    private int parseDeclaration(int i) {
      if (raw.startsWith("<![", i)) {
        if (i + 3 == raw.length()) {
          return -1;
        }
        Matcher name = at(DECL_NAME, i + 3);
        if (!name.lookingAt()) {
          return closeAfter(raw.indexOf('>', i + 2));   // the reference raises here
        }
        if (name.end() == raw.length()) {
          return -1;
        }
        String section = pyStrip(name.group()).toLowerCase(Locale.ROOT);
        Pattern close;
        if (Set.of("temp", "cdata", "ignore", "include", "rcdata").contains(section)) {
          close = MARKED_SECTION_CLOSE;
        } else if (Set.of("if", "else", "endif").contains(section)) {
          close = MS_MARKED_SECTION_CLOSE;
        } else {
          return closeAfter(raw.indexOf('>', i + 2));   // the reference raises here
        }
        Matcher m = close.matcher(raw);
        if (!m.find(i + 3)) {
          return -1;
        }
        String decl = raw.substring(i + 3, m.start());
        if (decl.regionMatches(true, 0, "CDATA[", 0, 6)) {
          data(decl.substring(6));   // bs4 keeps CDATA text
        }
        return m.end();
      }
      if (raw.regionMatches(true, i, "<!doctype", 0, 9)) {
        return closeAfter(raw.indexOf('>', i + 9));
      }
      return closeAfter(raw.indexOf('>', i + 2));   // bogus comment
    }

    /** bs4's {@code numeric_character_reference} for the digits after "&#". */
    private static String numericReference(String digits) {
      boolean hex = digits.charAt(0) == 'x' || digits.charAt(0) == 'X';
      long value = parseCapped(hex ? digits.substring(1) : digits, hex ? 16 : 10);
      if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
        return "\uFFFD";
      }
      if (value >= 0x80 && value <= 0x9F && CP1252_C1[(int) value - 0x80] != 0) {
        return String.valueOf(CP1252_C1[(int) value - 0x80]);
      }
      return new String(Character.toChars((int) value));
    }
  }

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

  /**
   * The parts of {@code ftfy.fix_text} (ftfy 6.3.1, default configuration) that matter for
   * captions, plus Python's {@code html.unescape}. Per line, repeated until nothing changes:
   * HTML entities (only while no line so far had a '<'), mojibake (reduced, see the class
   * Javadoc), C1 controls as Windows-1252, Latin ligatures, full/half width forms, curly quotes,
   * line breaks, lone surrogates, terminal escapes, control characters, NFC.
   */
  static final class FixText {
    private static final Pattern FTFY_ENTITY = Pattern.compile("&#?[0-9A-Za-z]{1,24};");
    private static final Pattern PY_ENTITY =
        Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");
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
        String value = ENTITIES.get(name);
        if (value == null && !name.startsWith("#")) {
          String lower = name.toLowerCase(Locale.ROOT);
          String base = ENTITIES.get(lower);
          if (base != null && name.equals(lower.toUpperCase(Locale.ROOT)) && !name.equals(lower)) {
            value = base.toUpperCase(Locale.ROOT);
          }
        } else if (value == null) {
          String unescaped = htmlUnescape(entity);
          value = unescaped.indexOf(';') >= 0 ? entity : unescaped;
        }
        m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : entity));
      }
      m.appendTail(out);
      return out.toString();
    }

    /** Python's {@code html.unescape} (HTML 5 rules, with the entity table of this class). */
    static String htmlUnescape(String text) {
      if (text.indexOf('&') < 0) {
        return text;
      }
      Matcher m = PY_ENTITY.matcher(text);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(out, Matcher.quoteReplacement(unescapeOne(m.group(1))));
      }
      m.appendTail(out);
      return out.toString();
    }

    private static String unescapeOne(String s) {
      if (s.charAt(0) == '#') {
        boolean hex = s.length() > 1 && (s.charAt(1) == 'x' || s.charAt(1) == 'X');
        String digits = s.substring(hex ? 2 : 1);
        if (digits.endsWith(";")) {
          digits = digits.substring(0, digits.length() - 1);
        }
        long num = parseCapped(digits, hex ? 16 : 10);
        if (num == 0) {
          return "\uFFFD";
        }
        if (num == 0x0D) {
          return "\r";
        }
        if (num >= 0x80 && num <= 0x9F) {
          char c = CP1252_C1[(int) num - 0x80];
          return String.valueOf(c != 0 ? c : (char) num);
        }
        if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) {
          return "\uFFFD";
        }
        if ((num >= 0x1 && num <= 0x8) || (num >= 0xE && num <= 0x1F) || num == 0x7F || num == 0xB
            || (num >= 0xFDD0 && num <= 0xFDEF) || (num & 0xFFFE) == 0xFFFE) {
          return "";
        }
        return new String(Character.toChars((int) num));
      }
      if (s.endsWith(";")) {
        String value = ENTITIES.get(s.substring(0, s.length() - 1));
        if (value != null) {
          return value;
        }
      } else if (LEGACY_ENTITIES.contains(s)) {
        return ENTITIES.get(s);
      }
      // Longest legacy name that prefixes s: "&eacutes" -> "és", "&notit;" -> "¬it;".
      for (int x = s.length() - 1; x > 1; x--) {
        String prefix = s.substring(0, x);
        if (LEGACY_ENTITIES.contains(prefix)) {
          return ENTITIES.get(prefix) + s.substring(x);
        }
      }
      return "&" + s;
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
}
