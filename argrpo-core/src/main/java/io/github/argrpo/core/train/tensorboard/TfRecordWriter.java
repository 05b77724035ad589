package io.github.argrpo.core.train.tensorboard;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends records in TFRecord framing: {@code u64 length}, {@code u32 masked_crc32c(length)},
 * {@code data}, {@code u32 masked_crc32c(data)}, all little-endian. Every record is flushed, so a
 * TensorBoard reading the file while the run goes on sees each step as it is written, and a killed run
 * leaves at most one torn record at the end (which readers skip).
 */
public final class TfRecordWriter implements Closeable {

  private final Path file;
  private final OutputStream out;

  /** Opens {@code file} for appending (created if missing). */
  public TfRecordWriter(Path file) throws IOException {
    this.file = file;
    this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** The file written. */
  public Path file() {
    return file;
  }

  /** Appends one record and flushes it. */
  public void write(byte[] data) throws IOException {
    byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
    out.write(length);
    out.write(le32(MaskedCrc32c.masked(length)));
    out.write(data);
    out.write(le32(MaskedCrc32c.masked(data)));
    out.flush();
  }

  private static byte[] le32(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
