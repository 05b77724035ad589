package io.github.argrpo.examples.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 */
public final class NpzWriter implements AutoCloseable {

  private final Path target;
  private final String name;
  private final Path tmp;
  private final OutputStream out;
  private final CRC32 crc = new CRC32();
  private final long expectedBytes;
  private long written;
  private boolean closed;

  private NpzWriter(Path target, String name, Path tmp, OutputStream out, long expectedBytes) {
    this.target = target;
    this.name = name;
    this.tmp = tmp;
    this.out = out;
    this.expectedBytes = expectedBytes;
  }

  /** Starts a {@code .npz} holding the uint8 array {@code name} of {@code shape}. */
  public static NpzWriter create(Path target, String name, long... shape) throws IOException {
    Path abs = target.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    Path tmp = TempSiblings.file(abs.getParent(), "." + abs.getFileName() + ".", ".npy.tmp");
    OutputStream o = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20);
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    NpzWriter w = new NpzWriter(abs, name, tmp, o, n);
    w.raw(NpyHeader.of("|u1", shape));
    return w;
  }

  private void raw(byte[] b) throws IOException {
    out.write(b);
    crc.update(b);
  }

  /** Appends the next bytes of the array (C order). */
  public void write(byte[] data) throws IOException {
    if (written + data.length > expectedBytes) {
      throw new IllegalStateException("npz array overflow: the shape holds " + expectedBytes + " bytes, got "
          + (written + data.length));
    }
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
    try {
      if (written != expectedBytes) {
        throw new IllegalStateException("npz array incomplete: the shape holds " + expectedBytes + " bytes, "
            + written + " were written");
      }
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
    }
  }
}
