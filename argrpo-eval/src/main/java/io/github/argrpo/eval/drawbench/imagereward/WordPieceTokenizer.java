package io.github.argrpo.eval.drawbench.imagereward;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The BERT uncased tokenizer ({@code bert-base-uncased}, as ImageReward's BLIP loads it with
 * {@code BertTokenizer}), written natively: Hugging Face's {@code BasicTokenizer} (drop NUL, U+FFFD and
 * control characters, whitespace to spaces, spaces around CJK ideographs, split on whitespace, lower-case,
 * strip accents, split off every punctuation character) and {@code WordpieceTokenizer} (greedy
 * longest-match-first with {@code ##} continuations, {@code [UNK]} for a word that cannot be covered or
 * is longer than 100 characters).
 *
 * <pre>{@code
 * WordPieceTokenizer tok = WordPieceTokenizer.load(Path.of("bert-base-uncased/vocab.txt"));
 * WordPieceTokenizer.Encoding e = tok.encode("A red cube on a blue sphere.", 35);   // ImageReward's max_length
 * }</pre>
 *
 * <p>Special tokens written literally in a prompt ({@code "[SEP]"}) are split like any text here; the
 * Hugging Face tokenizer would keep them whole. Immutable and thread-safe.
 */
public final class WordPieceTokenizer {

  /** Unknown-word token. */
  public static final String UNK = "[UNK]";
  /** Sequence start token. */
  public static final String CLS = "[CLS]";
  /** Sequence end token. */
  public static final String SEP = "[SEP]";
  /** Padding token. */
  public static final String PAD = "[PAD]";
  /** Words longer than this (in code points) become {@link #UNK} ({@code max_input_chars_per_word}). */
  public static final int MAX_CHARS_PER_WORD = 100;

  private final Map<String, Integer> vocab;

  /**
   * Token ids and attention mask of one text, padded to a fixed length.
   *
   * @param ids {@code [CLS] pieces... [SEP] [PAD]...}
   * @param mask 1 for real tokens, 0 for padding
   */
  public record Encoding(long[] ids, long[] mask) {}

  private WordPieceTokenizer(Map<String, Integer> vocab) {
    for (String s : List.of(UNK, CLS, SEP, PAD)) {
      checkArgument(vocab.containsKey(s), "a BERT vocabulary needs %s; this one has %s entries", s, vocab.size());
    }
    this.vocab = vocab;
  }

  /** Reads a {@code vocab.txt}: one token per line, the id is the line number (from 0). */
  public static WordPieceTokenizer load(Path vocabTxt) {
    try {
      return fromTokens(Files.readAllLines(vocabTxt, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read BERT vocabulary " + vocabTxt + ": " + e.getMessage(), e);
    }
  }

  /** A tokenizer whose token {@code i} is {@code tokens.get(i)} (later duplicates win, as in {@code load_vocab}). */
  public static WordPieceTokenizer fromTokens(List<String> tokens) {
    Map<String, Integer> v = new HashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      v.put(tokens.get(i), i);
    }
    return new WordPieceTokenizer(v);
  }

  /** Number of vocabulary entries. */
  public int vocabSize() {
    return vocab.size();
  }

  /** The id of {@code token}, or {@link #UNK}'s. */
  public int id(String token) {
    Integer i = vocab.get(token);
    return i != null ? i : vocab.get(UNK);
  }

  /** The word pieces of {@code text}, before ids and special tokens. */
  public List<String> tokenize(String text) {
    List<String> out = new ArrayList<>();
    for (String word : basicTokens(text)) {
      wordPieces(word, out);
    }
    return out;
  }

  /**
   * {@code tokenizer(text, padding='max_length', truncation=True, max_length=n)}: {@code [CLS]}, at most
   * {@code n - 2} pieces, {@code [SEP]}, then {@code [PAD]} up to {@code n}.
   */
  public Encoding encode(String text, int maxLength) {
    checkArgument(maxLength >= 2, "maxLength must be >= 2 ([CLS] and [SEP]), got %s", maxLength);
    List<String> pieces = tokenize(text);
    int keep = Math.min(pieces.size(), maxLength - 2);
    long[] ids = new long[maxLength];
    long[] mask = new long[maxLength];
    int k = 0;
    ids[k] = id(CLS);
    mask[k++] = 1;
    for (int i = 0; i < keep; i++) {
      ids[k] = id(pieces.get(i));
      mask[k++] = 1;
    }
    ids[k] = id(SEP);
    mask[k++] = 1;
    long pad = id(PAD);
    while (k < maxLength) {
      ids[k++] = pad;
    }
    return new Encoding(ids, mask);
  }

  /** {@code BasicTokenizer.tokenize} with {@code do_lower_case=True}: the words WordPiece then splits. */
  public static List<String> basicTokens(String text) {
    StringBuilder clean = new StringBuilder(text.length() + 16);
    text.codePoints().forEach(cp -> {
      if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
        return;
      }
      if (isWhitespace(cp)) {
        clean.append(' ');
      } else if (isCjk(cp)) {
        clean.append(' ').appendCodePoint(cp).append(' ');
      } else {
        clean.appendCodePoint(cp);
      }
    });
    // newer transformers (since 4.29) NFC-normalise here; a no-op for composed (ordinary) text
    String normalized = Normalizer.normalize(clean, Normalizer.Form.NFC);
    List<String> out = new ArrayList<>();
    for (String word : splitWhitespace(normalized)) {
      String lower = stripAccents(word.toLowerCase(Locale.ROOT));
      splitPunctuation(lower, out);
    }
    return out;
  }

  /** WordPiece of one basic token, appended to {@code out}. */
  void wordPieces(String word, List<String> out) {
    int[] cps = word.codePoints().toArray();
    if (cps.length > MAX_CHARS_PER_WORD) {
      out.add(UNK);
      return;
    }
    List<String> pieces = new ArrayList<>();
    int start = 0;
    while (start < cps.length) {
      int end = cps.length;
      String found = null;
      while (start < end) {
        String sub = new String(cps, start, end - start);
        if (start > 0) {
          sub = "##" + sub;
        }
        if (vocab.containsKey(sub)) {
          found = sub;
          break;
        }
        end--;
      }
      if (found == null) {
        out.add(UNK); // one uncoverable piece makes the whole word unknown
        return;
      }
      pieces.add(found);
      start = end;
    }
    out.addAll(pieces);
  }

  /** Python's {@code str.split()} on text whose whitespace is already spaces (plus U+2028/U+2029, which it also splits on). */
  private static List<String> splitWhitespace(String s) {
    List<String> out = new ArrayList<>();
    for (String w : s.split("[ \u2028\u2029\u001c-\u001f\u0085]+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  private static String stripAccents(String s) {
    String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
    StringBuilder b = new StringBuilder(nfd.length());
    nfd.codePoints().filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK).forEach(b::appendCodePoint);
    return b.toString();
  }

  private static void splitPunctuation(String word, List<String> out) {
    StringBuilder cur = new StringBuilder();
    word.codePoints().forEach(cp -> {
      if (isPunctuation(cp)) {
        if (cur.length() > 0) {
          out.add(cur.toString());
          cur.setLength(0);
        }
        out.add(new String(Character.toChars(cp)));
      } else {
        cur.appendCodePoint(cp);
      }
    });
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
  }

  /** {@code _is_whitespace}: space, tab, newline, carriage return, or category Zs. */
  static boolean isWhitespace(int cp) {
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || Character.getType(cp) == Character.SPACE_SEPARATOR;
  }

  /** {@code _is_control}: any category C* (Cc, Cf, Cn, Co, Cs) except tab, newline and carriage return. */
  static boolean isControl(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    int t = Character.getType(cp);
    return t == Character.CONTROL || t == Character.FORMAT || t == Character.UNASSIGNED || t == Character.PRIVATE_USE
        || t == Character.SURROGATE;
  }

  /** {@code _is_punctuation}: every non-alphanumeric printable ASCII character, or category P*. */
  static boolean isPunctuation(int cp) {
    if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
      return true;
    }
    int t = Character.getType(cp);
    return t == Character.CONNECTOR_PUNCTUATION || t == Character.DASH_PUNCTUATION || t == Character.START_PUNCTUATION
        || t == Character.END_PUNCTUATION || t == Character.INITIAL_QUOTE_PUNCTUATION
        || t == Character.FINAL_QUOTE_PUNCTUATION || t == Character.OTHER_PUNCTUATION;
  }

  /** {@code _is_chinese_char}: the CJK Unified Ideographs blocks and their extensions and compatibility blocks. */
  static boolean isCjk(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }
}
