package io.github.argrpo.models.text.t5;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Just enough of the protobuf wire format to read a SentencePiece {@code ModelProto}: tags,
 * varints, fixed 32/64-bit fields and length-delimited fields, over one byte array window.
 *
 * <p>Every read is bounds-checked and reports a {@link Malformed} with the byte offset, so a
 * truncated or foreign file becomes a clear error instead of an index exception deep in the
 * parser. A dependency on protobuf-java would buy nothing else here: the schema is five small
 * messages and the file is read once.
 */
final class ProtobufReader {

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  /** A wire-format violation; {@link SentencePieceModel} turns it into a message about the file. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  private final byte[] buf;
  private final int end;
  private int pos;

  ProtobufReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  private ProtobufReader(byte[] buf, int from, int end) {
    this.buf = buf;
    this.pos = from;
    this.end = end;
  }

  boolean atEnd() {
    return pos >= end;
  }

  int position() {
    return pos;
  }

  /** Reads a tag; returns {@code fieldNumber << 3 | wireType}. */
  int readTag() throws Malformed {
    int at = pos;
    long tag = readVarint();
    int field = (int) (tag >>> 3);
    if (tag >>> 32 != 0 || field == 0) {
      throw new Malformed("invalid field tag " + tag + " at byte " + at);
    }
    return (int) tag;
  }

  long readVarint() throws Malformed {
    int at = pos;
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw new Malformed("truncated varint at byte " + at);
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw new Malformed("varint longer than 10 bytes at byte " + at);
  }

  /** An int32 field: negative values are sign-extended 10-byte varints, so the low 32 bits. */
  int readInt32() throws Malformed {
    return (int) readVarint();
  }

  boolean readBool() throws Malformed {
    return readVarint() != 0;
  }

  float readFloat() throws Malformed {
    require(4, "float");
    int bits = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16
        | (buf[pos + 3] & 0xFF) << 24;
    pos += 4;
    return Float.intBitsToFloat(bits);
  }

  byte[] readBytes() throws Malformed {
    int len = readLength();
    byte[] out = Arrays.copyOfRange(buf, pos, pos + len);
    pos += len;
    return out;
  }

  /** A string field, which protobuf requires to be valid UTF-8. */
  String readString(String what) throws Malformed {
    int at = pos;
    byte[] b = readBytes();
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      throw new Malformed(what + " at byte " + at + " is not valid UTF-8");
    }
  }

  /** A reader over the next length-delimited field (an embedded message). */
  ProtobufReader readMessage() throws Malformed {
    int len = readLength();
    ProtobufReader sub = new ProtobufReader(buf, pos, pos + len);
    pos += len;
    return sub;
  }

  /** Skips a field this reader does not need; groups (deprecated wire types 3, 4) are refused. */
  void skip(int tag) throws Malformed {
    int wireType = tag & 7;
    switch (wireType) {
      case VARINT -> readVarint();
      case FIXED64 -> skipBytes(8);
      case LENGTH_DELIMITED -> skipBytes(readLength());
      case FIXED32 -> skipBytes(4);
      default -> throw new Malformed("unsupported wire type " + wireType + " for field "
          + (tag >>> 3) + " before byte " + pos);
    }
  }

  /** Fails unless {@code tag} has the wire type the schema declares for its field. */
  static void expectWireType(int tag, int wireType, String field) throws Malformed {
    if ((tag & 7) != wireType) {
      throw new Malformed(field + " has wire type " + (tag & 7) + ", expected " + wireType);
    }
  }

  private int readLength() throws Malformed {
    int at = pos;
    long len = readVarint();
    if (len < 0 || len > end - pos) {
      throw new Malformed("length " + len + " at byte " + at + " runs past the end ("
          + (end - pos) + " bytes left)");
    }
    return (int) len;
  }

  private void skipBytes(int n) throws Malformed {
    require(n, "field");
    pos += n;
  }

  private void require(int n, String what) throws Malformed {
    if (end - pos < n) {
      throw new Malformed("truncated " + what + " at byte " + pos + ": " + n + " bytes needed, "
          + (end - pos) + " left");
    }
  }
}
