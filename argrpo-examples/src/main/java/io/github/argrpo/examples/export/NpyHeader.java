package io.github.argrpo.examples.export;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The header of a NumPy {@code .npy} file, format version 1.0: the magic {@code \x93NUMPY}, version
 * bytes {@code 1 0}, a little-endian uint16 header length, then a Python dict literal
 * ({@code descr}, {@code fortran_order}, {@code shape}) padded with spaces and ended by a newline so the
 * data starts on a 64-byte boundary (what {@code numpy.lib.format} writes).
 */
public final class NpyHeader {

  private NpyHeader() {}

  /**
   * The header bytes for a C-ordered array.
   *
   * @param descr the NumPy type string, e.g. {@code |u1} for uint8, {@code <f4} for little-endian float32
   * @param shape the array shape (each dimension >= 0)
   * @throws IllegalArgumentException if the dict does not fit version 1.0's 65535-byte limit
   */
  public static byte[] of(String descr, long... shape) {
    for (long d : shape) {
      checkArgument(d >= 0, "npy shape must be non-negative, got %s", Arrays.toString(shape));
    }
    String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
    // a 1-tuple needs its trailing comma in Python syntax
    String tuple = "(" + dims + (shape.length == 1 ? ",)" : ")");
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple + ", }";
    int unpadded = 10 + dict.length() + 1;
    int total = (unpadded + 63) / 64 * 64;
    int headerLen = total - 10;
    checkArgument(headerLen <= 65535, "npy header too long for format 1.0: %s bytes", headerLen);
    String padded = dict + " ".repeat(total - unpadded) + "\n";
    byte[] out = new byte[total];
    out[0] = (byte) 0x93;
    System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, out, 1, 5);
    out[6] = 1;
    out[7] = 0;
    out[8] = (byte) (headerLen & 0xff);
    out[9] = (byte) (headerLen >>> 8);
    System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, out, 10, padded.length());
    return out;
  }
}
