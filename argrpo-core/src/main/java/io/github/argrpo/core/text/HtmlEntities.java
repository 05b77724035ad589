package io.github.argrpo.core.text;

import static com.google.common.base.Preconditions.checkState;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTML character references with the HTML5 rules: Python's {@code html.unescape}, which CLIP's
 * tokenizer cleaning and PixArt's caption cleaning apply, and the WHATWG table of named references
 * that bs4 and ftfy look names up in. Named references may lack the trailing {@code ;} for the legacy
 * names (the longest known prefix wins); decimal and hex references get the spec's replacements for
 * C1 codes, surrogates, out-of-range values and non-characters.
 */
public final class HtmlEntities {

  /** A reference: {@code &#123;}, {@code &#x1F;}, or a name of at most 32 characters; the {@code ;} is optional. */
  private static final Pattern REF = Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");

  private static final Map<String, String> NAMED = loadNamed();

  /**
   * Windows-1252 code points that HTML5 substitutes for numeric references 0x80-0x9F (and NUL, CR);
   * index = code point - 0x80.
   */
  private static final int[] C1_REPLACEMENTS = {
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
    0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
    0x0153, 0x9D, 0x017E, 0x0178
  };

  private HtmlEntities() {}

  /** {@code text} with every character reference decoded once, as Python's {@code html.unescape}. */
  public static String unescape(String text) {
    if (text.indexOf('&') < 0) {
      return text;
    }
    Matcher m = REF.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(decode(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String decode(String ref) {
    if (ref.charAt(0) == '#') {
      String digits = ref.endsWith(";") ? ref.substring(0, ref.length() - 1) : ref;
      boolean hex = digits.length() > 1 && (digits.charAt(1) == 'x' || digits.charAt(1) == 'X');
      BigInteger big = new BigInteger(digits.substring(hex ? 2 : 1), hex ? 16 : 10);
      if (big.compareTo(BigInteger.valueOf(0x10FFFF)) > 0) {
        return "\uFFFD";
      }
      return numeric(big.intValue());
    }
    String direct = NAMED.get(ref);
    if (direct != null) {
      return direct;
    }
    // Legacy references such as "&ampx" decode their longest known prefix and keep the rest verbatim.
    for (int len = ref.length() - 1; len > 1; len--) {
      String prefix = NAMED.get(ref.substring(0, len));
      if (prefix != null) {
        return prefix + ref.substring(len);
      }
    }
    return "&" + ref;
  }

  /**
   * The text of the named reference {@code name} as the WHATWG table lists it: {@code "amp;"} and
   * {@code "check;"} with their semicolon, legacy names such as {@code "amp"} or {@code "eacute"}
   * also without; null for anything else.
   */
  public static String named(String name) {
    return NAMED.get(name);
  }

  private static String numeric(int cp) {
    if (cp == 0) {
      return "\uFFFD";
    }
    if (cp == 0x0D) {
      return "\r";
    }
    if (cp >= 0x80 && cp <= 0x9F) {
      return new String(Character.toChars(C1_REPLACEMENTS[cp - 0x80]));
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      return "\uFFFD";
    }
    if (isDroppedCodePoint(cp)) {
      return "";
    }
    return new String(Character.toChars(cp));
  }

  /** Control characters and Unicode non-characters, which a numeric reference decodes to nothing. */
  private static boolean isDroppedCodePoint(int cp) {
    return (cp >= 0x01 && cp <= 0x08) || cp == 0x0B || (cp >= 0x0E && cp <= 0x1F) || (cp >= 0x7F && cp <= 0x9F)
        || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
  }

  private static Map<String, String> loadNamed() {
    Map<String, String> map = new HashMap<>(4096);
    try (InputStream in = HtmlEntities.class.getResourceAsStream("html5-entities.tsv")) {
      checkState(in != null, "resource html5-entities.tsv is missing from the argrpo-models jar");
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int tab = line.indexOf('\t');
        StringBuilder value = new StringBuilder(2);
        for (String hex : line.substring(tab + 1).split(" ")) {
          value.appendCodePoint(Integer.parseInt(hex, 16));
        }
        map.put(line.substring(0, tab), value.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read html5-entities.tsv", e);
    }
    return map;
  }
}
