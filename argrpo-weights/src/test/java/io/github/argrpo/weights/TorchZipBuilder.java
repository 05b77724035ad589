package io.github.argrpo.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes zip archives laid out like {@code torch.save}'s: stored entries whose data starts 64-byte
 * aligned (padding in a local extra field), optionally with zip64 records for every entry, and
 * optionally a sparse gap before an entry to push it beyond 4 GB without using disk.
 */
final class TorchZipBuilder {

  private record Item(String name, byte[] data, long gapBefore) {}

  private final List<Item> items = new ArrayList<>();
  private boolean zip64;

  TorchZipBuilder add(String name, byte[] data) {
    items.add(new Item(name, data, 0));
    return this;
  }

  /** Adds an entry preceded by {@code gap} unused (sparse) bytes. */
  TorchZipBuilder addAfterGap(String name, byte[] data, long gap) {
    items.add(new Item(name, data, gap));
    return this;
  }

  /** Writes zip64 extra fields, zip64 end record and locator even where 32 bits would do. */
  TorchZipBuilder zip64(boolean on) {
    this.zip64 = on;
    return this;
  }

  void write(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SPARSE)) {
      long pos = 0;
      List<long[]> offsets = new ArrayList<>();
      List<Long> crcs = new ArrayList<>();
      for (Item it : items) {
        pos += it.gapBefore();
        byte[] name = it.name().getBytes(StandardCharsets.UTF_8);
        long dataStart = pos + 30 + name.length + 4;
        int pad = (int) ((64 - dataStart % 64) % 64);
        CRC32 crc = new CRC32();
        crc.update(it.data());
        ByteBuffer lh = le(30 + name.length + 4 + pad);
        lh.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 0)
            .putInt(0).putInt((int) crc.getValue()).putInt(it.data().length).putInt(it.data().length)
            .putShort((short) name.length).putShort((short) (4 + pad)).put(name)
            .putShort((short) 0x4246).putShort((short) pad); // "FB" padding field, as torch writes
        lh.position(lh.limit());
        ch.write(lh.flip(), pos);
        long dataPos = pos + 30 + name.length + 4 + pad;
        ch.write(ByteBuffer.wrap(it.data()), dataPos);
        offsets.add(new long[] {pos});
        crcs.add(crc.getValue());
        pos = dataPos + it.data().length;
      }
      long cdStart = pos;
      for (int i = 0; i < items.size(); i++) {
        Item it = items.get(i);
        byte[] name = it.name().getBytes(StandardCharsets.UTF_8);
        long off = offsets.get(i)[0];
        boolean big = zip64 || off >= 0xFFFFFFFFL;
        ByteBuffer c = le(46 + name.length + (big ? 28 : 0));
        c.putInt(0x02014b50).putShort((short) 45).putShort((short) 45).putShort((short) 0)
            .putShort((short) 0).putInt(0).putInt(crcs.get(i).intValue())
            .putInt(big ? -1 : it.data().length).putInt(big ? -1 : it.data().length)
            .putShort((short) name.length).putShort((short) (big ? 28 : 0)).putShort((short) 0)
            .putShort((short) 0).putShort((short) 0).putInt(0).putInt(big ? -1 : (int) off).put(name);
        if (big) {
          c.putShort((short) 1).putShort((short) 24).putLong(it.data().length)
              .putLong(it.data().length).putLong(off);
        }
        ch.write(c.flip(), pos);
        pos += c.limit();
      }
      long cdSize = pos - cdStart;
      boolean big = zip64 || cdStart >= 0xFFFFFFFFL;
      if (big) {
        ByteBuffer z = le(56 + 20);
        z.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
            .putLong(items.size()).putLong(items.size()).putLong(cdSize).putLong(cdStart);
        z.putInt(0x07064b50).putInt(0).putLong(pos).putInt(1);
        ch.write(z.flip(), pos);
        pos += 76;
      }
      ByteBuffer e = le(22);
      e.putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
          .putShort((short) (big ? -1 : items.size())).putShort((short) (big ? -1 : items.size()))
          .putInt(big ? -1 : (int) cdSize).putInt(big ? -1 : (int) cdStart).putShort((short) 0);
      ch.write(e.flip(), pos);
    }
  }

  private static ByteBuffer le(int n) {
    return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
  }
}
