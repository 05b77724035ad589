package io.github.argrpo.core.train.tensorboard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A test-side reader of event files, written from the format's definition and sharing no code with the
 * writer: its CRC-32C is the bitwise RFC 3720 loop, not {@code java.util.zip.CRC32C}.
 */
final class EventFileDecoder {

  /** One summary value: a scalar, or an image's header fields and PNG size. */
  record Value(String tag, Float simpleValue, int width, int height, int colorspace, byte[] png) {}

  /** One event. */
  record Event(double wallTime, long step, String fileVersion, List<Value> values) {}

  private EventFileDecoder() {}

  static List<Event> read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> out = new ArrayList<>();
    while (b.hasRemaining()) {
      byte[] len = new byte[8];
      b.get(len);
      int lenCrc = b.getInt();
      if (masked(len) != lenCrc) {
        throw new IOException("bad length CRC at record " + out.size());
      }
      long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
      byte[] data = new byte[(int) n];
      b.get(data);
      if (masked(data) != b.getInt()) {
        throw new IOException("bad data CRC at record " + out.size());
      }
      out.add(event(data));
    }
    return out;
  }

  static int crc32c(byte[] data) {
    int crc = 0xFFFFFFFF;
    for (byte x : data) {
      crc ^= x & 0xff;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
      }
    }
    return ~crc;
  }

  private static int masked(byte[] data) {
    int crc = crc32c(data);
    return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
  }

  private static Event event(byte[] m) {
    double wall = Double.NaN;
    long step = 0;
    String version = null;
    List<Value> values = new ArrayList<>();
    for (Field f : fields(m)) {
      switch (f.number) {
        case 1 -> wall = ByteBuffer.wrap(f.bytes).order(ByteOrder.LITTLE_ENDIAN).getDouble();
        case 2 -> step = f.varint;
        case 3 -> version = new String(f.bytes, StandardCharsets.UTF_8);
        case 5 -> {
          for (Field v : fields(f.bytes)) {
            if (v.number == 1) {
              values.add(value(v.bytes));
            }
          }
        }
        default -> { }
      }
    }
    return new Event(wall, step, version, values);
  }

  private static Value value(byte[] m) {
    String tag = null;
    Float simple = null;
    int w = 0;
    int h = 0;
    int cs = 0;
    byte[] png = null;
    for (Field f : fields(m)) {
      if (f.number == 1) {
        tag = new String(f.bytes, StandardCharsets.UTF_8);
      } else if (f.number == 2) {
        simple = ByteBuffer.wrap(f.bytes).order(ByteOrder.LITTLE_ENDIAN).getFloat();
      } else if (f.number == 4) {
        for (Field i : fields(f.bytes)) {
          switch (i.number) {
            case 1 -> h = (int) i.varint;
            case 2 -> w = (int) i.varint;
            case 3 -> cs = (int) i.varint;
            case 4 -> png = i.bytes;
            default -> { }
          }
        }
      }
    }
    return new Value(tag, simple, w, h, cs, png);
  }

  private record Field(int number, long varint, byte[] bytes) {}

  private static List<Field> fields(byte[] m) {
    List<Field> out = new ArrayList<>();
    int[] pos = {0};
    while (pos[0] < m.length) {
      long key = varint(m, pos);
      int number = (int) (key >>> 3);
      int wire = (int) (key & 7);
      switch (wire) {
        case 0 -> out.add(new Field(number, varint(m, pos), null));
        case 1 -> out.add(new Field(number, 0, slice(m, pos, 8)));
        case 2 -> out.add(new Field(number, 0, slice(m, pos, (int) varint(m, pos))));
        case 5 -> out.add(new Field(number, 0, slice(m, pos, 4)));
        default -> throw new IllegalStateException("wire type " + wire);
      }
    }
    return out;
  }

  private static byte[] slice(byte[] m, int[] pos, int n) {
    byte[] out = Arrays.copyOfRange(m, pos[0], pos[0] + n);
    pos[0] += n;
    return out;
  }

  private static long varint(byte[] m, int[] pos) {
    long r = 0;
    int shift = 0;
    while (true) {
      int b = m[pos[0]++] & 0xff;
      r |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return r;
      }
      shift += 7;
    }
  }
}
