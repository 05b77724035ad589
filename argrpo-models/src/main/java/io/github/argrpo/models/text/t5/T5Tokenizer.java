package io.github.argrpo.models.text.t5;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokenization LlamaGen's text-to-image models feed to FLAN-T5-XL: Hugging Face's
 * {@code tokenizer(texts, max_length=120, padding='max_length', truncation=True)} for
 * {@code google/flan-t5-xl}, on the same {@code spiece.model}.
 *
 * <pre>{@code
 * T5Tokenizer t5 = T5Tokenizer.open(Path.of("models/flan-t5-xl"));   // folder or spiece.model
 * T5Tokenizer.Encoding e = t5.encode("a photo of a corgi", 120);
 * e.ids();    // 120 ids: the text's pieces, then 1 (</s>), then 0 (<pad>) to the end
 * e.mask();   // true on the pieces and </s>, false on the padding
 * }</pre>
 *
 * <p>Rules, as the Python tokenizer applies them: the SentencePiece pieces of the text, then EOS
 * ({@code </s>}, id 1); longer texts are cut to {@code maxLength - 1} pieces so EOS stays last;
 * then pad ({@code <pad>}, id 0) on the right. The mask is true on the pieces and EOS.
 *
 * <p>Special tokens written in the text are matched literally before SentencePiece sees it, as
 * Hugging Face does: the 100 sentinels {@code <extra_id_0>..<extra_id_99>} (ids 32099 down to
 * 32000, after the model's pieces) and {@code </s>}, {@code <pad>}, {@code <unk>}. The text between
 * them is tokenized piece by piece, each piece on its own (so each gets its dummy-prefix space and
 * loses its outer spaces).
 *
 * <p>Immutable and thread-safe.
 */
public final class T5Tokenizer {

  private static final Logger LOG = LoggerFactory.getLogger(T5Tokenizer.class);

  /** T5's sentinel count: {@code <extra_id_0>} .. {@code <extra_id_99>}. */
  public static final int SENTINELS = 100;

  /** The file name of the model in a Hugging Face T5 folder. */
  public static final String MODEL_FILE = "spiece.model";

  /** Sentinels and the tokenizer's own special tokens, as Hugging Face splits on them. */
  private static final Pattern SPECIAL =
      Pattern.compile("<extra_id_([1-9]?[0-9])>|</s>|<pad>|<unk>");

  /**
   * One text, tokenized to a fixed length.
   *
   * @param ids token ids, {@code maxLength} of them: pieces, EOS, then padding
   * @param mask true where {@code ids} holds a piece or EOS, false on padding
   */
  public record Encoding(int[] ids, boolean[] mask) {

    /** Checks that both arrays have one entry per position. */
    public Encoding {
      checkArgument(ids.length == mask.length, "ids and mask lengths differ: %s vs %s",
          ids.length, mask.length);
    }

    /** The number of real tokens (pieces and EOS): the true entries of the mask. */
    public int length() {
      int n = 0;
      for (boolean m : mask) {
        n += m ? 1 : 0;
      }
      return n;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Encoding e && Arrays.equals(ids, e.ids) && Arrays.equals(mask, e.mask);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(ids) * 31 + Arrays.hashCode(mask);
    }

    @Override
    public String toString() {
      return "Encoding[ids=" + Arrays.toString(ids) + ", length=" + length() + "]";
    }
  }

  private final SentencePieceTokenizer sp;
  private final int eosId;
  private final int padId;
  private final int unkId;

  private T5Tokenizer(SentencePieceTokenizer sp) {
    this.sp = sp;
    SentencePieceModel m = sp.model();
    this.eosId = m.eosId();
    this.padId = m.padId();
    this.unkId = m.unkId();
  }

  /**
   * A T5 tokenizer over {@code model}, which must define EOS and pad pieces (T5's
   * {@code spiece.model} has {@code <pad>} = 0, {@code </s>} = 1, {@code <unk>} = 2), segmenting as
   * Hugging Face's fast tokenizer does ({@link ViterbiArithmetic#HUGGING_FACE}).
   *
   * @throws IllegalArgumentException if the model lacks EOS or pad
   */
  public static T5Tokenizer of(SentencePieceModel model) {
    return of(model, ViterbiArithmetic.HUGGING_FACE);
  }

  /**
   * A T5 tokenizer over {@code model} whose segmentation follows {@code arithmetic}: Hugging Face's
   * (the default, LlamaGen's {@code AutoTokenizer}) or the SentencePiece library's (the "slow"
   * {@code T5Tokenizer}); they differ only on rare score ties.
   *
   * @throws IllegalArgumentException if the model lacks EOS or pad
   */
  public static T5Tokenizer of(SentencePieceModel model, ViterbiArithmetic arithmetic) {
    checkArgument(model.eosId() >= 0 && model.padId() >= 0,
        "%s has no EOS or pad piece (eos_id %s, pad_id %s); T5 tokenization needs both",
        model.file(), model.eosId(), model.padId());
    return new T5Tokenizer(SentencePieceTokenizer.of(model, arithmetic));
  }

  /**
   * Opens the T5 SentencePiece model at {@code path}: the {@code spiece.model} file itself or a
   * folder holding it (a downloaded {@code google/flan-t5-xl}).
   *
   * @throws FileNotFoundException if there is no such file, saying what to download
   * @throws SentencePieceFormatException if the file is not a usable unigram model
   * @throws IOException if it cannot be read
   */
  public static T5Tokenizer open(Path path) throws IOException {
    Path file = Files.isDirectory(path) ? path.resolve(MODEL_FILE) : path;
    if (!Files.isRegularFile(file)) {
      throw new FileNotFoundException(file + " not found: give the " + MODEL_FILE
          + " file or a folder holding it, e.g. google/flan-t5-xl's " + MODEL_FILE
          + " from https://huggingface.co/google/flan-t5-xl");
    }
    SentencePieceModel model = SentencePieceModel.open(file);
    try {
      T5Tokenizer t = of(model);
      LOG.debug("T5 tokenizer from {}: {} pieces + {} sentinels", file, model.size(), SENTINELS);
      return t;
    } catch (IllegalArgumentException e) {
      throw new SentencePieceFormatException(file, "not a T5 model: " + e.getMessage());
    }
  }

  /** The SentencePiece tokenizer underneath. */
  public SentencePieceTokenizer sentencePiece() {
    return sp;
  }

  /** The vocabulary size with the sentinels: 32100 for T5 (the embedding table has 32128 rows). */
  public int vocabSize() {
    return sp.model().size() + SENTINELS;
  }

  /** The id of {@code </s>} (1 for T5). */
  public int eosId() {
    return eosId;
  }

  /** The id of {@code <pad>} (0 for T5). */
  public int padId() {
    return padId;
  }

  /** The id of {@code <extra_id_n>}: the last id for n = 0, counting down (32099 - n for T5). */
  public int sentinelId(int n) {
    checkArgument(n >= 0 && n < SENTINELS, "sentinel index must be in [0, %s), got %s", SENTINELS, n);
    return vocabSize() - 1 - n;
  }

  /** The ids of {@code text} without EOS or padding; special tokens in the text are kept whole. */
  public int[] pieceIds(String text) {
    Matcher m = SPECIAL.matcher(text);
    if (!m.find()) {
      return sp.encode(text);
    }
    List<int[]> parts = new ArrayList<>();
    int from = 0;
    do {
      parts.add(sp.encode(text.substring(from, m.start())));
      parts.add(new int[] {specialId(m)});
      from = m.end();
    } while (m.find());
    parts.add(sp.encode(text.substring(from)));
    int total = 0;
    for (int[] p : parts) {
      total += p.length;
    }
    int[] ids = new int[total];
    int at = 0;
    for (int[] p : parts) {
      System.arraycopy(p, 0, ids, at, p.length);
      at += p.length;
    }
    return ids;
  }

  private int specialId(Matcher m) {
    if (m.group(1) != null) {
      return sentinelId(Integer.parseInt(m.group(1)));
    }
    return switch (m.group()) {
      case "</s>" -> eosId;
      case "<pad>" -> padId;
      default -> unkId;
    };
  }

  /**
   * Tokenizes {@code text} to exactly {@code maxLength} ids: pieces (at most {@code maxLength - 1}),
   * EOS, then padding. LlamaGen uses {@code maxLength} 120.
   *
   * @throws IllegalArgumentException if {@code maxLength < 1}
   */
  public Encoding encode(String text, int maxLength) {
    checkArgument(maxLength >= 1, "maxLength must be >= 1 (room for EOS), got %s", maxLength);
    int[] pieces = pieceIds(text);
    int kept = Math.min(pieces.length, maxLength - 1);
    int[] ids = new int[maxLength];
    boolean[] mask = new boolean[maxLength];
    System.arraycopy(pieces, 0, ids, 0, kept);
    ids[kept] = eosId;
    Arrays.fill(ids, kept + 1, maxLength, padId);
    Arrays.fill(mask, 0, kept + 1, true);
    return new Encoding(ids, mask);
  }

  /** {@link #encode(String, int)} for each text, in order. */
  public List<Encoding> encodeAll(List<String> texts, int maxLength) {
    List<Encoding> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(encode(t, maxLength));
    }
    return out;
  }

  /**
   * The text of {@code ids} with special tokens skipped (pad, EOS, unknown, sentinels), as
   * Hugging Face's {@code decode(ids, skip_special_tokens=True)}.
   *
   * @throws IllegalArgumentException if an id is outside {@code [0, vocabSize())}
   */
  public String decode(int[] ids) {
    int pieces = sp.model().size();
    int[] kept = new int[ids.length];
    int n = 0;
    for (int id : ids) {
      checkArgument(id >= 0 && id < vocabSize(), "id %s is outside the vocabulary [0, %s)", id,
          vocabSize());
      if (id >= pieces || id == unkId) {
        continue;
      }
      PieceType type = sp.model().piece(id).type();
      if (type != PieceType.CONTROL) {
        kept[n++] = id;
      }
    }
    return sp.decode(Arrays.copyOf(kept, n));
  }
}
