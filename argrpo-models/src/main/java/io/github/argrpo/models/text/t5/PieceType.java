package io.github.argrpo.models.text.t5;

/**
 * The kind of a vocabulary entry, as SentencePiece's {@code ModelProto.SentencePiece.Type}; the
 * numbers are the protobuf enum values.
 *
 * <p>Only {@link #NORMAL}, {@link #USER_DEFINED} and {@link #UNUSED} pieces can be matched in text
 * (unused ones are then skipped); {@link #UNKNOWN}, {@link #CONTROL} and {@link #BYTE} pieces are
 * only ever emitted by rule: the unknown piece for characters no piece covers, byte pieces for
 * those characters' UTF-8 bytes when the model has byte fallback, control pieces ({@code </s>},
 * {@code <pad>}) by the caller.
 */
public enum PieceType {
  /** An ordinary subword with a log-probability score. */
  NORMAL(1),
  /** The unknown piece ({@code <unk>}); exactly one per model. */
  UNKNOWN(2),
  /** A control symbol such as {@code </s>} or {@code <pad>}; never matched in text. */
  CONTROL(3),
  /** A symbol matched literally, before normalization, and always kept whole. */
  USER_DEFINED(4),
  /** Present in the vocabulary but never produced by encoding. */
  UNUSED(5),
  /** A raw byte {@code <0xHH>}, produced for unknown characters when byte fallback is on. */
  BYTE(6);

  private final int protoValue;

  PieceType(int protoValue) {
    this.protoValue = protoValue;
  }

  /** The value in the protobuf enum. */
  public int protoValue() {
    return protoValue;
  }

  /** The type with protobuf value {@code v}, or {@code null} if there is none. */
  static PieceType fromProto(int v) {
    for (PieceType t : values()) {
      if (t.protoValue == v) {
        return t;
      }
    }
    return null;
  }
}
