package io.github.argrpo.core.policy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Order-sensitive checksums of weights: CRC-32 of a tensor's bytes in memory order, so equal weights
 * always agree and a permutation, a swap of two values or a changed bit is caught (a sum of values or
 * of raw bits would miss a permutation).
 *
 * <p>Used to check that data-parallel replicas hold the same weights and to record which reference
 * policy a run trained against.
 */
public final class ParameterChecksums {

  /** Bytes hashed per native window (a {@code ByteBuffer} holds at most 2 GiB). */
  private static final long WINDOW = 1L << 28;

  private ParameterChecksums() {}

  /**
   * CRC-32 of {@code t}'s values (dtype, shape and device aside) as its contiguous bytes; a tensor on a
   * GPU is copied to the CPU for this.
   */
  public static long crc32(Tensor t) {
    CRC32 crc = new CRC32();
    update(crc, t);
    return crc.getValue();
  }

  /**
   * A fingerprint of named weights: CRC-32 over every name and tensor in map order, as 8 hex digits.
   * Two policies with the same names, order and values give the same fingerprint.
   */
  public static String fingerprint(Map<String, Tensor> weights) {
    CRC32 crc = new CRC32();
    for (Map.Entry<String, Tensor> e : weights.entrySet()) {
      crc.update(e.getKey().getBytes(StandardCharsets.UTF_8));
      update(crc, e.getValue());
    }
    return String.format("%08x", crc.getValue());
  }

  private static void update(CRC32 crc, Tensor t) {
    try (PointerScope scope = new PointerScope()) {
      Tensor c = t.detach().cpu().contiguous();
      long n = c.nbytes();
      BytePointer data = new BytePointer(c.data_ptr());
      for (long off = 0; off < n; off += WINDOW) {
        long end = Math.min(n, off + WINDOW);
        crc.update(data.position(off).limit(end).asByteBuffer());
      }
    }
  }
}
