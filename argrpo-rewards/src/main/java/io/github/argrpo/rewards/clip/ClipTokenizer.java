package io.github.argrpo.rewards.clip;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * CLIP's byte-level BPE tokenizer in plain Java, id for id with OpenAI's {@code clip.tokenize} (and the
 * open_clip and Hugging Face copies of it).
 *
 * <pre>{@code
 * ClipTokenizer tok = ClipTokenizer.fromBpeVocab(Path.of("bpe_simple_vocab_16e6.txt.gz"));
 * long[] ctx = tok.tokenize("a photo of tench, Tinca tinca");   // 77 ids: 49406 ... 49407 0 0 ...
 * }</pre>
 *
 * <p>Steps: clean ({@link ClipTextCleaning}); split into words with CLIP's pattern (the two special
 * tokens, English contractions, letter runs, single digits, runs of other non-space characters); map
 * each word's UTF-8 bytes to printable characters ({@link ByteLevelAlphabet}) and mark the last one
 * with {@code </w>}; merge adjacent symbols, lowest merge rank first, until no ranked pair is left.
 *
 * <p>Immutable and thread-safe (the per-word cache is concurrent).
 */
public final class ClipTokenizer {

  /** Id of {@code <|startoftext|>}. */
  public static final int START_OF_TEXT = 49406;
  /** Id of {@code <|endoftext|>}, the largest id: CLIP's text tower pools at the argmax position. */
  public static final int END_OF_TEXT = 49407;
  /** CLIP's text context length. */
  public static final int CONTEXT_LENGTH = 77;

  private static final String SOT = "<|startoftext|>";
  private static final String EOT = "<|endoftext|>";
  /** Number of merges used from the OpenAI vocabulary file: 49152 - 256 - 2. */
  private static final int OPENAI_MERGES = 49152 - 256 - 2;
  private static final int CACHE_LIMIT = 200_000;

  private static final Pattern WORDS = Pattern.compile(
      "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|\\p{L}+|\\p{N}|[^\\s\\p{L}\\p{N}]+",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  private final Map<String, Integer> encoder;
  private final Map<String, Integer> mergeRanks;
  private final ClipTextCleaning cleaning;
  private final Map<String, int[]> cache = new ConcurrentHashMap<>();

  private ClipTokenizer(Map<String, Integer> encoder, Map<String, Integer> mergeRanks, ClipTextCleaning cleaning) {
    this.encoder = encoder;
    this.mergeRanks = mergeRanks;
    this.cleaning = cleaning;
  }

  /**
   * Loads OpenAI's {@code bpe_simple_vocab_16e6.txt.gz} (gzip, or the plain text): a header line, then
   * one merge {@code "a b"} per line, of which the first 48,894 are used. The vocabulary is built as the
   * reference does: 256 byte symbols, the same with {@code </w>}, one entry per merge, then the two
   * special tokens. Cleaning is {@link ClipTextCleaning#OPENAI}.
   */
  public static ClipTokenizer fromBpeVocab(Path bpeFile) {
    List<String> lines = readLines(bpeFile);
    checkArgument(lines.size() >= OPENAI_MERGES + 1,
        "expected at least %s lines (a header and %s merges) in %s, got %s", OPENAI_MERGES + 1, OPENAI_MERGES, bpeFile,
        lines.size());
    List<String[]> merges = new ArrayList<>(OPENAI_MERGES);
    for (int i = 1; i <= OPENAI_MERGES; i++) {
      merges.add(splitMerge(lines.get(i), bpeFile, i + 1));
    }
    Map<String, Integer> enc = new HashMap<>(2 * 49408);
    for (int i = 0; i < 256; i++) {
      enc.put(String.valueOf(ByteLevelAlphabet.vocabSymbol(i)), i);
    }
    for (int i = 0; i < 256; i++) {
      enc.put(ByteLevelAlphabet.vocabSymbol(i) + "</w>", 256 + i);
    }
    // Ids are positions in the reference's vocabulary list: 512 byte symbols, then one per merge.
    int id = 512;
    for (String[] m : merges) {
      enc.put(m[0] + m[1], id++);
    }
    enc.put(SOT, id++);
    enc.put(EOT, id);
    checkSpecialIds(enc, bpeFile.toString());
    return new ClipTokenizer(enc, ranks(merges), ClipTextCleaning.OPENAI);
  }

  /**
   * Loads a Hugging Face CLIP tokenizer from its {@code vocab.json} (token to id) and {@code merges.txt}
   * (an optional {@code #version} header, then one merge per line, in rank order). Cleaning is
   * {@link ClipTextCleaning#HUGGING_FACE}; use {@link #withCleaning} to change it.
   */
  public static ClipTokenizer fromHuggingFace(Path vocabJson, Path mergesTxt) {
    Map<String, Integer> enc = new HashMap<>(2 * 49408);
    try {
      JsonNode root = new ObjectMapper().readTree(vocabJson.toFile());
      checkArgument(root != null && root.isObject(), "%s: expected a JSON object of token -> id", vocabJson);
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        checkArgument(e.getValue().canConvertToInt(),
            "%s: id of token '%s' must be an integer, got %s", vocabJson, e.getKey(), e.getValue());
        enc.put(e.getKey(), e.getValue().intValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + vocabJson, e);
    }
    List<String> lines = readLines(mergesTxt);
    List<String[]> merges = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if ((i == 0 && line.startsWith("#version")) || line.isBlank()) {
        continue;
      }
      merges.add(splitMerge(line, mergesTxt, i + 1));
    }
    checkSpecialIds(enc, vocabJson.toString());
    return new ClipTokenizer(enc, ranks(merges), ClipTextCleaning.HUGGING_FACE);
  }

  /**
   * Loads the tokenizer files found at {@code fileOrDir}: OpenAI's {@code bpe_simple_vocab_16e6.txt.gz}
   * (or a {@code .txt} of the same content) given directly, or a folder holding Hugging Face's
   * {@code vocab.json} and {@code merges.txt} (as in a downloaded {@code openai/clip-vit-base-patch32}
   * repository) or {@code bpe_simple_vocab_16e6.txt.gz}. The cleaning is the file flavour's; callers
   * that must match a particular reference set it with {@link #withCleaning}.
   */
  public static ClipTokenizer locate(Path fileOrDir) {
    if (Files.isRegularFile(fileOrDir)) {
      return fromBpeVocab(fileOrDir);
    }
    if (Files.isDirectory(fileOrDir)) {
      Path vocab = fileOrDir.resolve("vocab.json");
      Path merges = fileOrDir.resolve("merges.txt");
      if (Files.isRegularFile(vocab) && Files.isRegularFile(merges)) {
        return fromHuggingFace(vocab, merges);
      }
      Path bpe = fileOrDir.resolve("bpe_simple_vocab_16e6.txt.gz");
      if (Files.isRegularFile(bpe)) {
        return fromBpeVocab(bpe);
      }
    }
    throw new IllegalArgumentException("no CLIP tokenizer at " + fileOrDir.toAbsolutePath() + ": expected "
        + "bpe_simple_vocab_16e6.txt.gz, or a folder with vocab.json and merges.txt (Hugging Face) or with "
        + "bpe_simple_vocab_16e6.txt.gz");
  }

  /** This tokenizer with another text cleaning (same vocabulary). */
  public ClipTokenizer withCleaning(ClipTextCleaning c) {
    return new ClipTokenizer(encoder, mergeRanks, c);
  }

  /** The text cleaning in use. */
  public ClipTextCleaning cleaning() {
    return cleaning;
  }

  /** Vocabulary size: the largest id plus one (49,408 for CLIP). */
  public int vocabSize() {
    return encoder.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
  }

  /** The BPE ids of {@code text}, without start/end tokens. */
  public int[] encode(String text) {
    String cleaned = cleaning.clean(text);
    int[] buf = new int[Math.max(16, cleaned.length() * 2)];
    int n = 0;
    Matcher m = WORDS.matcher(cleaned);
    while (m.find()) {
      int[] ids = wordIds(m.group());
      if (n + ids.length > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + ids.length));
      }
      System.arraycopy(ids, 0, buf, n, ids.length);
      n += ids.length;
    }
    return Arrays.copyOf(buf, n);
  }

  /** {@code [START_OF_TEXT] + encode(text) + [END_OF_TEXT]}, untruncated. */
  public int[] encodeWithSpecials(String text) {
    int[] body = encode(text);
    int[] out = new int[body.length + 2];
    out[0] = START_OF_TEXT;
    System.arraycopy(body, 0, out, 1, body.length);
    out[out.length - 1] = END_OF_TEXT;
    return out;
  }

  /**
   * The 77-id context of {@code clip.tokenize(text, truncate=True)}: start, BPE ids, end, zero padding;
   * when too long, the first 77 ids with the last one replaced by the end token.
   */
  public long[] tokenize(String text) {
    int[] ids = encodeWithSpecials(text);
    long[] ctx = new long[CONTEXT_LENGTH];
    int n = Math.min(ids.length, CONTEXT_LENGTH);
    for (int i = 0; i < n; i++) {
      ctx[i] = ids[i];
    }
    if (ids.length > CONTEXT_LENGTH) {
      ctx[CONTEXT_LENGTH - 1] = END_OF_TEXT;
    }
    return ctx;
  }

  /** {@link #tokenize} of each text, row-major {@code texts.size() x 77}. */
  public long[] tokenizeAll(List<String> texts) {
    long[] out = new long[texts.size() * CONTEXT_LENGTH];
    for (int i = 0; i < texts.size(); i++) {
      System.arraycopy(tokenize(texts.get(i)), 0, out, i * CONTEXT_LENGTH, CONTEXT_LENGTH);
    }
    return out;
  }

  private int[] wordIds(String word) {
    if (word.equals(SOT)) {
      return new int[] {encoder.get(SOT)};
    }
    if (word.equals(EOT)) {
      return new int[] {encoder.get(EOT)};
    }
    int[] cached = cache.get(word);
    if (cached != null) {
      return cached;
    }
    List<String> symbols = bpe(ByteLevelAlphabet.encode(word));
    int[] ids = new int[symbols.size()];
    for (int i = 0; i < ids.length; i++) {
      Integer id = encoder.get(symbols.get(i));
      checkState(id != null,
          "BPE symbol '%s' of word '%s' is not in the vocabulary: the vocabulary and merges files do not belong "
              + "together",
          symbols.get(i), word);
      ids[i] = id;
    }
    if (cache.size() > CACHE_LIMIT) {
      cache.clear();
    }
    cache.put(word, ids);
    return ids;
  }

  /** Greedy BPE: merge every occurrence of the lowest-ranked adjacent pair until none is ranked. */
  private List<String> bpe(String chars) {
    List<String> word = new ArrayList<>(chars.length());
    for (int i = 0; i < chars.length() - 1; i++) {
      word.add(String.valueOf(chars.charAt(i)));
    }
    word.add(chars.charAt(chars.length() - 1) + "</w>");
    while (word.size() > 1) {
      int best = Integer.MAX_VALUE;
      String first = null;
      String second = null;
      for (int i = 0; i < word.size() - 1; i++) {
        Integer r = mergeRanks.get(word.get(i) + " " + word.get(i + 1));
        if (r != null && r < best) {
          best = r;
          first = word.get(i);
          second = word.get(i + 1);
        }
      }
      if (first == null) {
        break;
      }
      List<String> merged = new ArrayList<>(word.size());
      for (int i = 0; i < word.size(); i++) {
        if (i < word.size() - 1 && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
          merged.add(first + second);
          i++;
        } else {
          merged.add(word.get(i));
        }
      }
      word = merged;
    }
    return word;
  }

  private static Map<String, Integer> ranks(List<String[]> merges) {
    Map<String, Integer> r = new HashMap<>(2 * merges.size());
    for (int i = 0; i < merges.size(); i++) {
      r.putIfAbsent(merges.get(i)[0] + " " + merges.get(i)[1], i);
    }
    return r;
  }

  private static String[] splitMerge(String line, Path file, int lineNo) {
    String[] parts = line.trim().split(" ");
    checkArgument(parts.length == 2, "%s line %s: expected a merge 'a b', got '%s'", file, lineNo, line);
    return parts;
  }

  private static void checkSpecialIds(Map<String, Integer> enc, String source) {
    if (!Integer.valueOf(START_OF_TEXT).equals(enc.get(SOT)) || !Integer.valueOf(END_OF_TEXT).equals(enc.get(EOT))) {
      throw new IllegalArgumentException(source + ": expected " + SOT + " = " + START_OF_TEXT + " and " + EOT + " = "
          + END_OF_TEXT + ", got " + enc.get(SOT) + " and " + enc.get(EOT) + " (vocabulary of " + enc.size()
          + " entries); is this CLIP's vocabulary?");
    }
  }

  private static List<String> readLines(Path file) {
    try (InputStream raw = Files.newInputStream(file)) {
      InputStream in = raw;
      if (file.getFileName().toString().endsWith(".gz")) {
        in = new GZIPInputStream(raw, 1 << 16);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
      List<String> lines = new ArrayList<>(50_000);
      for (String line; (line = r.readLine()) != null; ) {
        lines.add(line);
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CLIP BPE file " + file + ": " + e.getMessage(), e);
    }
  }
}
