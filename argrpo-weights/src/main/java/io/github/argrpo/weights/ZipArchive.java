package io.github.argrpo.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The central directory of a zip archive held in a {@link MappedFile}: where each entry's bytes are.
 * Just enough of the zip format for {@code torch.save} archives, which store every entry uncompressed
 * (method 0) and use zip64 records for files above 4 GB or entries beyond offset 4 GB.
 *
 * <p>Only the end of the file is parsed (end-of-central-directory record, optional zip64 locator and
 * record, the central directory) plus each entry's 30-byte local header to find where its data
 * starts. Every offset and length is checked against the file size.
 */
final class ZipArchive {

  private static final int EOCD_SIG = 0x06054b50;
  private static final int ZIP64_EOCD_SIG = 0x06064b50;
  private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
  private static final int CENTRAL_SIG = 0x02014b50;
  private static final int LOCAL_SIG = 0x04034b50;
  private static final int EOCD_LEN = 22;
  private static final long U32_MAX = 0xFFFFFFFFL;

  /**
   * One entry: its name, compression method (0 = stored), sizes, and the absolute offset of its data.
   */
  record Entry(String name, int method, long compressedSize, long size, long dataOffset) {}

  private final Map<String, Entry> entries;

  private ZipArchive(Map<String, Entry> entries) {
    this.entries = entries;
  }

  /** Whether {@code head} (the first bytes of a file) starts with a zip local-file header. */
  static boolean hasZipMagic(byte[] head) {
    return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
  }

  /** All entries by name, in central-directory order; unmodifiable. */
  Map<String, Entry> entries() {
    return entries;
  }

  /** Reads the central directory of {@code f}. */
  static ZipArchive read(MappedFile f) throws WeightFormatException {
    long size = f.size();
    if (size < EOCD_LEN) {
      throw new WeightFormatException(f.path(), "not a zip archive: " + size + " bytes");
    }
    int tail = (int) Math.min(size, EOCD_LEN + 0xFFFFL);
    ByteBuffer t = le(f.readBytes(size - tail, tail, "zip end records"));
    int eocd = -1;
    for (int i = tail - EOCD_LEN; i >= 0; i--) {
      if (t.getInt(i) == EOCD_SIG) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) {
      throw new WeightFormatException(f.path(),
          "not a zip archive or truncated: no end-of-central-directory record");
    }
    long eocdPos = size - tail + eocd;
    long count = t.getShort(eocd + 10) & 0xFFFF;
    long cdSize = t.getInt(eocd + 12) & U32_MAX;
    long cdOffset = t.getInt(eocd + 16) & U32_MAX;
    if (eocdPos >= 20) {
      ByteBuffer loc = le(f.readBytes(eocdPos - 20, 20, "zip64 locator"));
      if (loc.getInt(0) == ZIP64_LOCATOR_SIG) {
        long recPos = loc.getLong(8);
        f.checkRange(recPos, 56, "zip64 end-of-central-directory record");
        ByteBuffer rec = le(f.readBytes(recPos, 56, "zip64 end-of-central-directory record"));
        if (rec.getInt(0) != ZIP64_EOCD_SIG) {
          throw new WeightFormatException(f.path(), "corrupt zip: the zip64 locator points to offset "
              + recPos + " where there is no zip64 end-of-central-directory record");
        }
        count = rec.getLong(32);
        cdSize = rec.getLong(40);
        cdOffset = rec.getLong(48);
      }
    }
    f.checkRange(cdOffset, cdSize, "zip central directory");
    if (cdSize > Integer.MAX_VALUE || count < 0 || count > cdSize / 46) {
      throw new WeightFormatException(f.path(), "corrupt zip: " + count
          + " entries cannot fit a central directory of " + cdSize + " bytes");
    }
    ByteBuffer cd = le(f.readBytes(cdOffset, (int) cdSize, "zip central directory"));
    Map<String, Entry> out = new LinkedHashMap<>();
    int p = 0;
    for (long i = 0; i < count; i++) {
      if (p + 46 > cd.limit() || cd.getInt(p) != CENTRAL_SIG) {
        throw new WeightFormatException(f.path(), "corrupt zip: central directory entry " + i
            + " at offset " + (cdOffset + p) + " is malformed");
      }
      int method = cd.getShort(p + 10) & 0xFFFF;
      long csize = cd.getInt(p + 20) & U32_MAX;
      long usize = cd.getInt(p + 24) & U32_MAX;
      int nameLen = cd.getShort(p + 28) & 0xFFFF;
      int extraLen = cd.getShort(p + 30) & 0xFFFF;
      int commentLen = cd.getShort(p + 32) & 0xFFFF;
      long localOffset = cd.getInt(p + 42) & U32_MAX;
      int end = p + 46 + nameLen + extraLen + commentLen;
      if (end > cd.limit()) {
        throw new WeightFormatException(f.path(), "corrupt zip: central directory entry " + i
            + " runs past the directory");
      }
      byte[] nameBytes = new byte[nameLen];
      cd.get(p + 46, nameBytes);
      String name = new String(nameBytes, StandardCharsets.UTF_8);
      // zip64 extra field (id 1): the 8-byte values present are those whose 32-bit field is all ones,
      // in the order uncompressed size, compressed size, local header offset.
      int x = p + 46 + nameLen;
      int xEnd = x + extraLen;
      while (x + 4 <= xEnd) {
        int id = cd.getShort(x) & 0xFFFF;
        int len = cd.getShort(x + 2) & 0xFFFF;
        if (x + 4 + len > xEnd) {
          throw new WeightFormatException(f.path(), "corrupt zip: extra field of '" + name
              + "' runs past its entry");
        }
        if (id == 1) {
          int q = x + 4;
          int qEnd = q + len;
          if (usize == U32_MAX) {
            usize = readU64(f, cd, q, qEnd, name);
            q += 8;
          }
          if (csize == U32_MAX) {
            csize = readU64(f, cd, q, qEnd, name);
            q += 8;
          }
          if (localOffset == U32_MAX) {
            localOffset = readU64(f, cd, q, qEnd, name);
          }
        }
        x += 4 + len;
      }
      f.checkRange(localOffset, 30, "local header of zip entry '" + name + "'");
      ByteBuffer lh = le(f.readBytes(localOffset, 30, "local header of zip entry '" + name + "'"));
      if (lh.getInt(0) != LOCAL_SIG) {
        throw new WeightFormatException(f.path(), "corrupt zip: no local header for entry '" + name
            + "' at offset " + localOffset);
      }
      long dataOffset = localOffset + 30 + (lh.getShort(26) & 0xFFFF) + (lh.getShort(28) & 0xFFFF);
      f.checkRange(dataOffset, csize, "zip entry '" + name + "'");
      out.put(name, new Entry(name, method, csize, usize, dataOffset));
      p = end;
    }
    return new ZipArchive(Collections.unmodifiableMap(out));
  }

  private static long readU64(MappedFile f, ByteBuffer b, int at, int end, String name)
      throws WeightFormatException {
    if (at + 8 > end) {
      throw new WeightFormatException(f.path(), "corrupt zip: zip64 extra field of '" + name
          + "' is too short");
    }
    long v = b.getLong(at);
    if (v < 0) {
      throw new WeightFormatException(f.path(), "corrupt zip: zip64 value of '" + name
          + "' is out of range");
    }
    return v;
  }

  private static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }
}
