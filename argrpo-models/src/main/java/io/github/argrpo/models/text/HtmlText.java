package io.github.argrpo.models.text;

import io.github.argrpo.core.text.HtmlEntities;
import static io.github.argrpo.models.text.CaptionCleaner.CP1252_C1;
import static io.github.argrpo.models.text.CaptionCleaner.S;
import static io.github.argrpo.models.text.CaptionCleaner.parseCapped;
import static io.github.argrpo.models.text.CaptionCleaner.pyStrip;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code BeautifulSoup(markup, 'html.parser').text} as bs4 4.15 on Python 3.11's
 * {@code html.parser} computes it: the same two-phase scan ({@code feed} then {@code close}),
 * tags, comments, declarations and processing instructions dropped, CDATA kept,
 * {@code <script>}/{@code <style>} content dropped, entities and character references decoded
 * the way bs4 does (unknown {@code &name;} stays as {@code &name} without its ';'). The parser's
 * quirks are kept on purpose: at the very end of the text a two-character {@code &x} loses its
 * '&' ({@code "at&t"} gives {@code "att"}), and an unterminated {@code <tag} is text.
 */
final class HtmlText {
  private static final String SP = CaptionCleaner.SPACE_CHARS;
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
          // bs4 looks the name up in the whole HTML5 table (without its ';')
          String value = HtmlEntities.named(name + ";");
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
