package io.github.argrpo.models.text.t5;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A SentencePiece unigram tokenizer in plain Java: normalizes text as the model's
 * {@link NormalizerSpec} says, then picks the segmentation with the highest total piece score
 * (Viterbi), as SentencePiece 0.1.9x's {@code SentencePieceProcessor::Encode} does. Ids equal the
 * C++ library's on the reference fixtures, including unknown characters, user-defined symbols,
 * byte fallback and malformed UTF-8.
 *
 * <pre>{@code
 * SentencePieceTokenizer sp = SentencePieceTokenizer.open(Path.of("spiece.model"));
 * int[] ids = sp.encode("A cat on a mat");             // no BOS/EOS, as spm_encode
 * List<String> pieces = sp.encodeAsPieces("A cat");    // ["▁A", "▁cat"]
 * String back = sp.decode(ids);
 * }</pre>
 *
 * <p>Encoding allocates only per call; the tokenizer is immutable and thread-safe.
 */
public final class SentencePieceTokenizer {

  /** SentencePiece's kUnkPenalty: an unknown character scores this much below the worst piece. */
  static final float UNK_PENALTY = 10.0f;

  private static final String SPACE_SYMBOL = "\u2581";
  /** SentencePiece's default {@code unk_surface}: U+2047 between spaces. */
  private static final String UNK_SURFACE = " \u2047 ";

  private final SentencePieceModel model;
  private final Normalizer normalizer;
  private final PieceTrie pieces = new PieceTrie();
  private final float[] scores;
  private final PieceType[] types;
  private final float maxScore;
  private final double unkScore;
  private final ViterbiArithmetic arithmetic;
  private final int unkId;
  private final int[] byteIds = new int[256];
  private final Map<String, Integer> reservedIds = new HashMap<>();
  private final Map<String, Integer> matchableIds = new HashMap<>();

  private SentencePieceTokenizer(SentencePieceModel model, ViterbiArithmetic arithmetic) {
    this.model = model;
    this.arithmetic = checkNotNull(arithmetic, "arithmetic");
    int n = model.size();
    scores = new float[n];
    types = new PieceType[n];
    PieceTrie userDefined = new PieceTrie();
    // SentencePiece starts the max at FLT_MIN (the smallest positive normal float), not at
    // -FLT_MAX: with all-negative log-prob scores the max stays ~0, and a user-defined symbol then
    // scores about -0.1, which beats any real segmentation.
    float min = Float.MAX_VALUE;
    float max = Float.MIN_NORMAL;
    for (int id = 0; id < n; id++) {
      SentencePieceModel.Piece p = model.piece(id);
      scores[id] = p.score();
      types[id] = p.type();
      switch (p.type()) {
        case NORMAL, USER_DEFINED, UNUSED -> {
          pieces.put(p.text().getBytes(StandardCharsets.UTF_8), id);
          matchableIds.putIfAbsent(p.text(), id);
        }
        default -> reservedIds.putIfAbsent(p.text(), id);
      }
      if (p.type() == PieceType.USER_DEFINED) {
        userDefined.put(p.text().getBytes(StandardCharsets.UTF_8), id);
      }
      if (p.type() == PieceType.NORMAL) {
        min = Math.min(min, p.score());
        max = Math.max(max, p.score());
      }
    }
    maxScore = max;
    // float arithmetic in SentencePiece (kUnkPenalty is a float), f64 in tokenizers
    unkScore = arithmetic == ViterbiArithmetic.HUGGING_FACE ? (double) min - UNK_PENALTY : min - UNK_PENALTY;
    unkId = model.unkId();
    for (int b = 0; b < 256; b++) {
      byteIds[b] = pieceToId(String.format("<0x%02X>", b));
    }
    normalizer = new Normalizer(model.normalizerSpec(), model.treatWhitespaceAsSuffix(),
        userDefined.isEmpty() ? null : userDefined);
  }

  /** A tokenizer for {@code model} that segments exactly as the SentencePiece library does. */
  public static SentencePieceTokenizer of(SentencePieceModel model) {
    return new SentencePieceTokenizer(model, ViterbiArithmetic.SENTENCEPIECE);
  }

  /** A tokenizer for {@code model} whose Viterbi adds scores as {@code arithmetic} says. */
  public static SentencePieceTokenizer of(SentencePieceModel model, ViterbiArithmetic arithmetic) {
    return new SentencePieceTokenizer(model, arithmetic);
  }

  /** How this tokenizer's Viterbi adds scores. */
  public ViterbiArithmetic arithmetic() {
    return arithmetic;
  }

  /**
   * Reads the model at {@code path} ({@link SentencePieceModel#open(Path)}).
   *
   * @throws SentencePieceFormatException if the file is not a usable unigram model
   * @throws IOException if it cannot be read
   */
  public static SentencePieceTokenizer open(Path path) throws IOException {
    return of(SentencePieceModel.open(path));
  }

  /** The model this tokenizer runs. */
  public SentencePieceModel model() {
    return model;
  }

  /** The piece ids of {@code text}, without any BOS or EOS (as {@code spm_encode}). */
  public int[] encode(String text) {
    return encodeUtf8(Utf8.encode(text)).ids();
  }

  /** The pieces of {@code text}; an unknown run is its normalized text, a byte piece {@code <0xHH>}. */
  public List<String> encodeAsPieces(String text) {
    return encodeUtf8(Utf8.encode(text)).pieces();
  }

  /** {@code text} as the model normalizes it, with spaces as {@code ▁} (when the spec escapes them). */
  public String normalize(String text) {
    byte[] n = normalizer.normalize(Utf8.encode(text));
    return Utf8.decode(n, 0, n.length);
  }

  /**
   * The text of {@code ids}, as SentencePiece decodes them: control pieces vanish, the unknown piece
   * reads {@code " ⁇ "}, runs of byte pieces are decoded as UTF-8 and {@code ▁} becomes a space; a
   * leading space (the dummy prefix) is dropped.
   *
   * @throws IllegalArgumentException if an id is outside the vocabulary
   */
  public String decode(int[] ids) {
    StringBuilder text = new StringBuilder();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int id : ids) {
      checkArgument(!(id < 0) && !(id >= types.length), "id %s is outside the vocabulary [0, %s)", id, types.length);
      if (types[id] == PieceType.BYTE) {
        bytes.write(pieceToByte(model.piece(id).text()));
        continue;
      }
      flushBytes(bytes, text);
      String piece = switch (types[id]) {
        case CONTROL -> "";
        case UNKNOWN -> UNK_SURFACE;
        default -> model.piece(id).text();
      };
      if (text.length() == 0 && types[id] != PieceType.UNKNOWN) {
        // SentencePiece drops the space of the dummy prefix; with remove_extra_whitespaces it
        // drops every leading one, since the input had none.
        while (piece.startsWith(SPACE_SYMBOL)) {
          piece = piece.substring(1);
          if (!model.normalizerSpec().removeExtraWhitespaces()) {
            break;
          }
        }
      }
      text.append(piece.replace(SPACE_SYMBOL, " "));
    }
    flushBytes(bytes, text);
    return text.toString();
  }

  private static void flushBytes(ByteArrayOutputStream bytes, StringBuilder text) {
    if (bytes.size() > 0) {
      byte[] b = bytes.toByteArray();
      text.append(Utf8.decode(b, 0, b.length));
      bytes.reset();
    }
  }

  /**
   * The id of {@code piece} (control and unknown pieces first, as SentencePiece looks them up), or
   * the unknown id if the vocabulary has no such piece.
   */
  public int pieceToId(String piece) {
    Integer id = reservedIds.get(piece);
    if (id == null) {
      id = matchableIds.get(piece);
    }
    return id == null ? unkId : id;
  }

  /** The ids and pieces of one encoding. */
  record Result(int[] ids, List<String> pieces, String normalized) {}

  /** Encodes UTF-8 bytes, which need not be well-formed (each malformed byte is one U+FFFD). */
  Result encodeUtf8(byte[] utf8) {
    byte[] norm = normalizer.normalize(utf8);
    int n = norm.length;
    if (n == 0) {
      return new Result(new int[0], List.of(), "");
    }
    // The optimized Viterbi of unigram_model.cc (EncodeOptimized), over byte positions: the best
    // path ending at each position, extended by every piece that starts at each character.
    // Path scores are stored as float (SentencePiece) or double (tokenizers); see ViterbiArithmetic.
    boolean f64 = arithmetic == ViterbiArithmetic.HUGGING_FACE;
    double[] best = new double[n + 1];
    int[] startsAt = new int[n + 1];
    int[] idAt = new int[n + 1];
    Arrays.fill(startsAt, -1);
    int start = 0;
    while (start < n) {
      int mblen = Math.min(Utf8.announcedLength(norm[start]), n - start);
      double base = best[start];
      boolean hasSingleChar = false;
      int node = 0;
      for (int k = start; k < n; k++) {
        node = pieces.child(node, norm[k] & 0xFF);
        if (node < 0) {
          break;
        }
        int id = pieces.value(node);
        if (id < 0 || types[id] == PieceType.UNUSED) {
          continue;
        }
        int end = k + 1;
        int length = end - start;
        // As in C++: the user-defined score is a double (length in bytes times the max, minus
        // 0.1), so the candidate sum is compared in double and stored as float. Reproducing the
        // widening keeps ties and near-ties exactly where SentencePiece puts them.
        double score = types[id] == PieceType.USER_DEFINED
            ? (double) (length * maxScore) - 0.1 : (double) scores[id];
        double candidate = score + base;
        if (startsAt[end] == -1 || candidate > best[end]) {
          best[end] = f64 ? candidate : (float) candidate;
          startsAt[end] = start;
          idAt[end] = id;
        }
        if (length == mblen) {
          hasSingleChar = true;
        }
      }
      if (!hasSingleChar) {
        int end = start + mblen;
        double candidate = f64 ? unkScore + base : (float) ((float) unkScore + (float) base);
        if (startsAt[end] == -1 || candidate > best[end]) {
          best[end] = candidate;
          startsAt[end] = start;
          idAt[end] = unkId;
        }
      }
      start += mblen;
    }
    int count = 0;
    for (int end = n; end > 0; end = startsAt[end]) {
      count++;
    }
    int[] segEnd = new int[count];
    for (int end = n, i = count - 1; end > 0; end = startsAt[end], i--) {
      segEnd[i] = end;
    }
    return collect(norm, segEnd, startsAt, idAt);
  }

  /**
   * Turns the best path into ids and pieces as PopulateSentencePieceText does: with byte fallback an
   * unknown piece becomes its UTF-8 byte pieces, otherwise a run of unknown pieces is merged into
   * one.
   */
  private Result collect(byte[] norm, int[] segEnd, int[] startsAt, int[] idAt) {
    int[] ids = new int[segEnd.length];
    List<String> out = new ArrayList<>(segEnd.length);
    int count = 0;
    boolean prevUnk = false;
    for (int end : segEnd) {
      int begin = startsAt[end];
      int id = idAt[end];
      boolean isUnk = types[id] == PieceType.UNKNOWN;
      if (isUnk && model.byteFallback()) {
        for (int i = begin; i < end; i++) {
          int b = norm[i] & 0xFF;
          if (count == ids.length) {
            ids = Arrays.copyOf(ids, ids.length * 2 + 4);
          }
          ids[count++] = byteIds[b];
          out.add(String.format("<0x%02X>", b));
        }
      } else if (isUnk && prevUnk) {
        out.set(count - 1, out.get(count - 1) + Utf8.decode(norm, begin, end));
      } else {
        if (count == ids.length) {
          ids = Arrays.copyOf(ids, ids.length * 2 + 4);
        }
        ids[count++] = id;
        out.add(Utf8.decode(norm, begin, end));
      }
      prevUnk = isUnk;
    }
    return new Result(Arrays.copyOf(ids, count), List.copyOf(out), Utf8.decode(norm, 0, norm.length));
  }

  /** The byte of a {@code <0xHH>} piece, or -1 for any other text. */
  static int pieceToByte(String piece) {
    if (piece.length() != 6 || !piece.startsWith("<0x") || piece.charAt(5) != '>') {
      return -1;
    }
    int hi = Character.digit(piece.charAt(3), 16);
    int lo = Character.digit(piece.charAt(4), 16);
    if (hi < 0 || lo < 0) {
      return -1;
    }
    int b = hi << 4 | lo;
    // SentencePiece only knows the upper-case spelling.
    return String.format("<0x%02X>", b).equals(piece) ? b : -1;
  }
}
