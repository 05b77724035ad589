package io.github.argrpo.examples.export;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.github.argrpo.core.io.TempSiblings;

/**
 * Streams one uint8 array into a NumPy {@code .npz} file as {@code np.savez} writes it: a zip archive
 * with the uncompressed (STORED) entry {@code <name>.npy}. The ADM evaluator reads {@code arr_0}
 * ({@code N x H x W x 3}); 50,000 images of 384 px are 22 GB, so the array is written image by image to
 * a temporary {@code .npy} (its CRC computed on the way, which a STORED entry needs up front) and then
 * copied into the archive; Java's zip writer switches to zip64 past 4 GB, as NumPy's does.
 *
 * <pre>{@code
 * try (NpzWriter w = NpzWriter.create(Path.of("samples.npz"), "arr_0", 50_000, 256, 256, 3)) {
 *   w.write(hwcBytesOfOneImage);   // 50,000 times
 * }
 * }</pre>
 *
 * <p>{@link #resumable} keeps the array in a fixed partial file beside the target instead
 * ({@code .<name>.partial.npy} with a {@code .partial.json} fingerprint of the settings), which an
 * interrupted export leaves behind and a later run with the same settings continues from.
 */
public final class NpzWriter implements AutoCloseable {

  private final Path target;
  private final String name;
  private final Path tmp;
  private final CRC32 crc = new CRC32();
  private final long expectedBytes;
  private final long itemBytes;
  private final Path meta;
  private OutputStream out;
  private long written;
  private boolean closed;

  private NpzWriter(Path target, String name, Path tmp, Path meta, long expectedBytes, long itemBytes) {
    this.target = target;
    this.name = name;
    this.tmp = tmp;
    this.meta = meta;
    this.expectedBytes = expectedBytes;
    this.itemBytes = itemBytes;
  }

  /** Starts a {@code .npz} holding the uint8 array {@code name} of {@code shape}. */
  public static NpzWriter create(Path target, String name, long... shape) throws IOException {
    Path abs = target.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    Path tmp = TempSiblings.file(abs.getParent(), "." + abs.getFileName() + ".", ".npy.tmp");
    NpzWriter w = new NpzWriter(abs, name, tmp, null, product(shape, 0), product(shape, 1));
    w.out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20);
    w.raw(NpyHeader.of("|u1", shape));
    return w;
  }

  /**
   * Starts or continues a {@code .npz} whose array is kept in a fixed partial file until complete, so
   * an interrupted export can be continued: with {@code resume}, an existing partial made with the
   * same {@code fingerprint} (the caller's summary of everything that decides the data) and shape is
   * cut back to a whole number of {@code granularity} rows (the caller's unit of work, so that what
   * follows is generated exactly as in one run) and appended to; {@link #itemsDone} says where to go on.
   *
   * @throws IllegalArgumentException if a partial exists and {@code resume} is false, or it was made
   *     with another fingerprint or shape; the message names the file and what to do
   */
  public static NpzWriter resumable(Path target, String name, String fingerprint, boolean resume, long granularity,
      long... shape) throws IOException {
    checkArgument(granularity >= 1, "granularity must be >= 1, got %s", granularity);
    Path abs = target.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    Path partial = abs.resolveSibling("." + abs.getFileName() + ".partial.npy");
    Path meta = abs.resolveSibling("." + abs.getFileName() + ".partial.json");
    byte[] header = NpyHeader.of("|u1", shape);
    NpzWriter w = new NpzWriter(abs, name, partial, meta, product(shape, 0), product(shape, 1));
    String stamp = fingerprint + "\n" + Arrays.toString(shape) + "\n";
    if (Files.exists(partial)) {
      long items = Math.max(0, (Files.size(partial) - header.length) / w.itemBytes);
      checkArgument(resume, "%s: an interrupted export of it exists (%s of %s images, %s); continue it with --resume, "
          + "or delete that file to start over", target, items, shape[0], partial);
      String old = Files.exists(meta) ? Files.readString(meta, StandardCharsets.UTF_8) : "";
      checkArgument(old.equals(stamp) && startsWith(partial, header),
          "%s: the interrupted export %s was made with other settings (config, weights, classes, sampling or "
              + "image size differ); delete it to start over", target, partial);
      w.truncateItems(items - items % granularity);
      return w;
    }
    Files.writeString(meta, stamp, StandardCharsets.UTF_8);
    w.out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 20);
    w.raw(header);
    w.out.flush();
    return w;
  }

  /** Complete items (rows of the first axis) written so far. */
  public long itemsDone() {
    return itemBytes == 0 ? 0 : written / itemBytes;
  }

  /**
   * Cuts the array back to its first {@code items} rows and continues writing after them. Reads the
   * kept part once to restore the checksum the archive needs.
   */
  private void truncateItems(long items) throws IOException {
    if (out != null) {
      out.flush();
      out.close();
    }
    long headerLength = headerLength();
    long keep = headerLength + items * itemBytes;
    if (items < 0 || keep > Files.size(tmp)) {
      throw new IllegalArgumentException("cannot keep " + items + " items: " + tmp + " holds "
          + (Files.size(tmp) - headerLength) / Math.max(1, itemBytes));
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.truncate(keep);
    }
    crc.reset();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(tmp), 1 << 20)) {
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) {
        crc.update(buf, 0, n);
      }
    }
    written = items * itemBytes;
    out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.APPEND), 1 << 20);
  }

  private long headerLength() throws IOException {
    try (InputStream in = Files.newInputStream(tmp)) {
      byte[] head = in.readNBytes(10);
      if (head.length < 10) {
        throw new IOException(tmp + " is too short for a .npy header");
      }
      // magic (6), version (2), header length (2, little-endian) for version 1.0
      return 10 + ((head[8] & 0xff) | (head[9] & 0xff) << 8);
    }
  }

  private static boolean startsWith(Path file, byte[] prefix) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(prefix.length), prefix);
    }
  }

  private static long product(long[] shape, int from) {
    long n = 1;
    for (int i = from; i < shape.length; i++) {
      n *= shape[i];
    }
    return n;
  }

  private void raw(byte[] b) throws IOException {
    out.write(b);
    crc.update(b);
  }

  /** Appends the next bytes of the array (C order). */
  public void write(byte[] data) throws IOException {
    checkState(written + data.length <= expectedBytes,
        "npz array overflow: the shape holds %s bytes, got %s", expectedBytes, written + data.length);
    raw(data);
    written += data.length;
  }

  /** Bytes of array data written so far. */
  public long written() {
    return written;
  }

  /**
   * Finishes the archive (atomically replacing the target).
   *
   * @throws IllegalStateException if fewer bytes than the shape holds were written
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    out.close();
    if (written != expectedBytes) {
      if (meta != null) {
        // resumable: keep what was written for --resume
        throw new IllegalStateException("npz array incomplete: " + itemsDone() + " of " + expectedBytes / Math.max(1, itemBytes)
            + " images written; the partial export is kept (" + tmp + "), continue it with --resume");
      }
      Files.deleteIfExists(tmp);
      throw new IllegalStateException("npz array incomplete: the shape holds " + expectedBytes + " bytes, "
          + written + " were written");
    }
    try {
      Path zipTmp = TempSiblings.file(target.getParent(), "." + target.getFileName() + ".", ".tmp");
      try (ZipOutputStream z = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(zipTmp), 1 << 20));
           InputStream in = Files.newInputStream(tmp)) {
        ZipEntry e = new ZipEntry(name + ".npy");
        e.setMethod(ZipEntry.STORED);
        long size = Files.size(tmp);
        e.setSize(size);
        e.setCompressedSize(size);
        e.setCrc(crc.getValue());
        z.putNextEntry(e);
        in.transferTo(z);
        z.closeEntry();
      }
      Files.move(zipTmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
      if (meta != null) {
        Files.deleteIfExists(meta);
      }
    }
  }
}
