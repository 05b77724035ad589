package io.github.argrpo.models.text.t5;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A SentencePiece model file ({@code .model}, a protobuf {@code ModelProto}) read into plain Java:
 * the vocabulary with scores and types, the special ids, and the normalizer spec.
 *
 * <pre>{@code
 * SentencePieceModel m = SentencePieceModel.open(Path.of("flan-t5-xl/spiece.model"));
 * m.size();            // 32000
 * m.piece(1).text();   // "</s>"
 * m.normalizerSpec();  // nmt_nfkc, dummy prefix, whitespace collapsing
 * }</pre>
 *
 * <p>Only unigram models are accepted (T5's kind); BPE, word and char models are refused with a
 * clear message. {@link #open(Path)} checks everything the encoder relies on, as SentencePiece's
 * own loader does: pieces non-empty and unique, exactly one unknown piece, byte pieces only with
 * byte fallback, special ids inside the vocabulary, a well-formed precompiled charsmap. A bad file
 * is a {@link SentencePieceFormatException}, never a half-built object.
 *
 * <p>Immutable and thread-safe. {@link SentencePieceTokenizer} runs it.
 */
public final class SentencePieceModel {

  /** One vocabulary entry; its id is its index in {@link #pieces()}. */
  public record Piece(String text, float score, PieceType type) {}

  private static final int UNIGRAM = 1;

  private final Path file;
  private final List<Piece> pieces;
  private final int unkId;
  private final int bosId;
  private final int eosId;
  private final int padId;
  private final boolean byteFallback;
  private final boolean treatWhitespaceAsSuffix;
  private final NormalizerSpec normalizerSpec;

  private SentencePieceModel(Path file, List<Piece> pieces, int unkId, int bosId, int eosId,
      int padId, boolean byteFallback, boolean treatWhitespaceAsSuffix, NormalizerSpec spec) {
    this.file = file;
    this.pieces = Collections.unmodifiableList(pieces);
    this.unkId = unkId;
    this.bosId = bosId;
    this.eosId = eosId;
    this.padId = padId;
    this.byteFallback = byteFallback;
    this.treatWhitespaceAsSuffix = treatWhitespaceAsSuffix;
    this.normalizerSpec = spec;
  }

  /**
   * Reads and validates {@code path}.
   *
   * @throws SentencePieceFormatException if the file is not a usable unigram SentencePiece model
   *     (the message names the file and the problem)
   * @throws IOException if the file cannot be read
   */
  public static SentencePieceModel open(Path path) throws IOException {
    return parse(path, Files.readAllBytes(path));
  }

  /** Parses the bytes of a model file; {@code source} names it in error messages. */
  static SentencePieceModel parse(Path source, byte[] bytes) throws SentencePieceFormatException {
    if (bytes.length == 0) {
      throw new SentencePieceFormatException(source, "empty file, expected a SentencePiece model");
    }
    try {
      return read(source, new ProtobufReader(bytes));
    } catch (ProtobufReader.Malformed e) {
      throw new SentencePieceFormatException(source,
          "not a SentencePiece model (corrupt or truncated protobuf): " + e.getMessage());
    }
  }

  private static SentencePieceModel read(Path source, ProtobufReader r)
      throws ProtobufReader.Malformed, SentencePieceFormatException {
    List<Piece> pieces = new ArrayList<>();
    Trainer trainer = new Trainer();
    NormalizerSpec spec = null;
    while (!r.atEnd()) {
      int tag = r.readTag();
      switch (tag >>> 3) {
        case 1 -> {
          ProtobufReader.expectWireType(tag, ProtobufReader.LENGTH_DELIMITED, "ModelProto.pieces");
          pieces.add(readPiece(source, r.readMessage(), pieces.size()));
        }
        case 2 -> {
          ProtobufReader.expectWireType(tag, ProtobufReader.LENGTH_DELIMITED, "trainer_spec");
          trainer.read(r.readMessage());
        }
        case 3 -> {
          ProtobufReader.expectWireType(tag, ProtobufReader.LENGTH_DELIMITED, "normalizer_spec");
          spec = readNormalizer(r.readMessage());
        }
        default -> r.skip(tag);
      }
    }
    if (pieces.isEmpty()) {
      throw new SentencePieceFormatException(source,
          "not a SentencePiece model: no vocabulary pieces found");
    }
    if (trainer.modelType != UNIGRAM) {
      throw new SentencePieceFormatException(source, "model_type is " + modelTypeName(trainer.modelType)
          + "; only UNIGRAM models (T5's kind) are supported");
    }
    if (spec == null) {
      // A missing NormalizerSpec means all proto defaults: no rule, three flags true.
      spec = new NormalizerSpec("", new byte[0], true, true, true);
    }
    int unkId = checkPieces(source, pieces, trainer.byteFallback);
    for (int[] idAndField : new int[][] {{trainer.bosId, 41}, {trainer.eosId, 42}, {trainer.padId, 43}}) {
      if (idAndField[0] < -1 || idAndField[0] >= pieces.size()) {
        throw new SentencePieceFormatException(source, "trainer_spec field " + idAndField[1]
            + " (special id) is " + idAndField[0] + ", outside [-1, " + pieces.size() + ")");
      }
    }
    try {
      PrecompiledCharsMap.parse(spec.charsmapUnsafe());
    } catch (IllegalArgumentException e) {
      throw new SentencePieceFormatException(source, "bad precompiled_charsmap in normalizer '"
          + spec.name() + "': " + e.getMessage());
    }
    return new SentencePieceModel(source, pieces, unkId, trainer.bosId, trainer.eosId,
        trainer.padId, trainer.byteFallback, trainer.treatWhitespaceAsSuffix, spec);
  }

  /** Checks the rules SentencePiece's loader enforces; returns the unknown piece's id. */
  private static int checkPieces(Path source, List<Piece> pieces, boolean byteFallback)
      throws SentencePieceFormatException {
    // Matchable and reserved pieces live in two maps in SentencePiece, so a duplicate is only an
    // error within one group.
    Map<String, Integer> matchable = new HashMap<>();
    Map<String, Integer> reserved = new HashMap<>();
    int unkId = -1;
    for (int id = 0; id < pieces.size(); id++) {
      Piece p = pieces.get(id);
      if (p.text().isEmpty()) {
        throw new SentencePieceFormatException(source, "piece " + id + " is empty");
      }
      boolean isMatchable = p.type() == PieceType.NORMAL || p.type() == PieceType.USER_DEFINED
          || p.type() == PieceType.UNUSED;
      Integer prev = (isMatchable ? matchable : reserved).putIfAbsent(p.text(), id);
      if (prev != null) {
        throw new SentencePieceFormatException(source, "piece '" + p.text() + "' is defined twice (ids "
            + prev + " and " + id + ")");
      }
      if (p.type() == PieceType.UNKNOWN) {
        if (unkId >= 0) {
          throw new SentencePieceFormatException(source, "two unknown pieces (ids " + unkId + " and "
              + id + ")");
        }
        unkId = id;
      }
      if (p.type() == PieceType.BYTE) {
        if (!byteFallback) {
          throw new SentencePieceFormatException(source, "byte piece '" + p.text() + "' (id " + id
              + ") found although byte_fallback is false");
        }
        if (SentencePieceTokenizer.pieceToByte(p.text()) < 0) {
          throw new SentencePieceFormatException(source, "byte piece " + id + " is '" + p.text()
              + "', expected the form <0xHH>");
        }
      }
    }
    if (unkId < 0) {
      throw new SentencePieceFormatException(source, "no unknown piece (type UNKNOWN) in "
          + pieces.size() + " pieces");
    }
    return unkId;
  }

  private static Piece readPiece(Path source, ProtobufReader r, int id)
      throws ProtobufReader.Malformed, SentencePieceFormatException {
    String text = "";
    float score = 0f;
    PieceType type = PieceType.NORMAL;
    while (!r.atEnd()) {
      int tag = r.readTag();
      switch (tag >>> 3) {
        case 1 -> {
          ProtobufReader.expectWireType(tag, ProtobufReader.LENGTH_DELIMITED, "piece");
          text = r.readString("piece " + id);
        }
        case 2 -> {
          ProtobufReader.expectWireType(tag, ProtobufReader.FIXED32, "score");
          score = r.readFloat();
        }
        case 3 -> {
          ProtobufReader.expectWireType(tag, ProtobufReader.VARINT, "type");
          int v = r.readInt32();
          type = PieceType.fromProto(v);
          if (type == null) {
            throw new SentencePieceFormatException(source, "piece " + id + " has unknown type " + v);
          }
        }
        default -> r.skip(tag);
      }
    }
    return new Piece(text, score, type);
  }

  private static NormalizerSpec readNormalizer(ProtobufReader r) throws ProtobufReader.Malformed {
    String name = "";
    byte[] charsmap = new byte[0];
    boolean dummy = true;
    boolean removeExtra = true;
    boolean escape = true;
    while (!r.atEnd()) {
      int tag = r.readTag();
      switch (tag >>> 3) {
        case 1 -> {
          ProtobufReader.expectWireType(tag, ProtobufReader.LENGTH_DELIMITED, "normalizer name");
          name = r.readString("normalizer name");
        }
        case 2 -> {
          ProtobufReader.expectWireType(tag, ProtobufReader.LENGTH_DELIMITED, "precompiled_charsmap");
          charsmap = r.readBytes();
        }
        case 3 -> dummy = readBool(r, tag, "add_dummy_prefix");
        case 4 -> removeExtra = readBool(r, tag, "remove_extra_whitespaces");
        case 5 -> escape = readBool(r, tag, "escape_whitespaces");
        default -> r.skip(tag);
      }
    }
    return new NormalizerSpec(name, charsmap, dummy, removeExtra, escape);
  }

  private static boolean readBool(ProtobufReader r, int tag, String field) throws ProtobufReader.Malformed {
    ProtobufReader.expectWireType(tag, ProtobufReader.VARINT, field);
    return r.readBool();
  }

  /** The TrainerSpec fields encoding depends on, with their proto defaults. */
  private static final class Trainer {
    int modelType = UNIGRAM;
    int bosId = 1;
    int eosId = 2;
    int padId = -1;
    boolean byteFallback;
    boolean treatWhitespaceAsSuffix;

    void read(ProtobufReader r) throws ProtobufReader.Malformed {
      while (!r.atEnd()) {
        int tag = r.readTag();
        switch (tag >>> 3) {
          case 3 -> modelType = varint(r, tag, "model_type");
          case 24 -> treatWhitespaceAsSuffix = readBool(r, tag, "treat_whitespace_as_suffix");
          case 35 -> byteFallback = readBool(r, tag, "byte_fallback");
          case 41 -> bosId = varint(r, tag, "bos_id");
          case 42 -> eosId = varint(r, tag, "eos_id");
          case 43 -> padId = varint(r, tag, "pad_id");
          default -> r.skip(tag);
        }
      }
    }

    private static int varint(ProtobufReader r, int tag, String field) throws ProtobufReader.Malformed {
      ProtobufReader.expectWireType(tag, ProtobufReader.VARINT, field);
      return r.readInt32();
    }
  }

  private static String modelTypeName(int t) {
    return switch (t) {
      case 2 -> "BPE";
      case 3 -> "WORD";
      case 4 -> "CHAR";
      default -> "unknown (" + t + ")";
    };
  }

  /** The file this model was read from. */
  public Path file() {
    return file;
  }

  /** The vocabulary; a piece's id is its index. Unmodifiable. */
  public List<Piece> pieces() {
    return pieces;
  }

  /** The number of pieces (32000 for T5; T5's 100 sentinels are not in the file). */
  public int size() {
    return pieces.size();
  }

  /** The piece with id {@code id}. */
  public Piece piece(int id) {
    return pieces.get(id);
  }

  /** The id of the unknown piece (the one piece of type {@link PieceType#UNKNOWN}). */
  public int unkId() {
    return unkId;
  }

  /** {@code trainer_spec.bos_id}, or -1 when the model has none (T5 has none). */
  public int bosId() {
    return bosId;
  }

  /** {@code trainer_spec.eos_id}, or -1 when the model has none (T5: 1, {@code </s>}). */
  public int eosId() {
    return eosId;
  }

  /** {@code trainer_spec.pad_id}, or -1 when the model has none (T5: 0, {@code <pad>}). */
  public int padId() {
    return padId;
  }

  /** Whether unknown characters are written as their UTF-8 byte pieces instead of the unknown piece. */
  public boolean byteFallback() {
    return byteFallback;
  }

  /** Whether the dummy space goes at the end of the text instead of the start (false for T5). */
  public boolean treatWhitespaceAsSuffix() {
    return treatWhitespaceAsSuffix;
  }

  /** How text is normalized before segmentation. */
  public NormalizerSpec normalizerSpec() {
    return normalizerSpec;
  }

  @Override
  public String toString() {
    return "SentencePieceModel[" + file + ", " + pieces.size() + " pieces, normalizer "
        + normalizerSpec.name() + "]";
  }
}
