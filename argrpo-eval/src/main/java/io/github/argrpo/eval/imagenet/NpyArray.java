package io.github.argrpo.eval.imagenet;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a NumPy {@code .npy} array (format 1.0-3.0) read from a stream, which is left at the
 * first data byte; plus whole-array readers for the small float arrays of a reference batch.
 *
 * @param descr the dtype ({@code |u1}, {@code <f4}, {@code <f8}, ...)
 * @param fortranOrder whether the data is column-major (not supported by the readers)
 * @param shape the shape
 */
public record NpyArray(String descr, boolean fortranOrder, long[] shape) {

  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /** Elements in the array. */
  public long count() {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n;
  }

  /** Reads the header from {@code in}, leaving it at the data. */
  public static NpyArray readHeader(InputStream in, String what) throws IOException {
    DataInputStream d = new DataInputStream(in);
    byte[] magic = new byte[8];
    d.readFully(magic);
    if ((magic[0] & 0xff) != 0x93 || magic[1] != 'N' || magic[2] != 'U' || magic[3] != 'M' || magic[4] != 'P'
        || magic[5] != 'Y') {
      throw new IOException(what + " is not a NumPy .npy array (bad magic)");
    }
    int major = magic[6];
    // magic (6 bytes), version (2), then the header length: 2 bytes little-endian in 1.0, 4 after
    byte[] b = new byte[major == 1 ? 2 : 4];
    d.readFully(b);
    long len = 0;
    for (int i = b.length - 1; i >= 0; i--) {
      len = (len << 8) | (b[i] & 0xff);
    }
    byte[] header = new byte[(int) len];
    d.readFully(header);
    String h = new String(header, StandardCharsets.ISO_8859_1);
    Matcher m = DESCR.matcher(h);
    Matcher f = FORTRAN.matcher(h);
    Matcher s = SHAPE.matcher(h);
    if (!m.find() || !f.find() || !s.find()) {
      throw new IOException(what + " has an unreadable .npy header: " + h.trim());
    }
    List<Long> dims = new ArrayList<>();
    for (String p : s.group(1).split(",")) {
      if (!p.isBlank()) {
        dims.add(Long.parseLong(p.trim()));
      }
    }
    return new NpyArray(m.group(1), "True".equals(f.group(1)), dims.stream().mapToLong(Long::longValue).toArray());
  }

  /** The whole (C-order) array as doubles; dtypes {@code <f4}, {@code <f8}. */
  public double[] readDoubles(InputStream in, String what) throws IOException {
    if (fortranOrder) {
      throw new IOException(what + " is stored in Fortran order; re-save it with np.ascontiguousarray");
    }
    int width = switch (descr) {
      case "<f4" -> 4;
      case "<f8" -> 8;
      default -> throw new IOException(what + " has dtype " + descr + "; expected float32 or float64");
    };
    long n = count();
    if (n * width > Integer.MAX_VALUE) {
      throw new IOException(what + " is too large to read at once (" + n + " values)");
    }
    byte[] raw = in.readNBytes((int) (n * width));
    if (raw.length != n * width) {
      throw new EOFException(what + " is truncated: " + raw.length + " of " + n * width + " data bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    double[] out = new double[(int) n];
    for (int i = 0; i < n; i++) {
      out[i] = width == 4 ? b.getFloat() : b.getDouble();
    }
    return out;
  }
}
