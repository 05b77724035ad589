package io.github.argrpo.core.train.tensorboard;

import java.util.zip.CRC32C;

/**
 * The checksum of the TFRecord format: CRC-32C (Castagnoli, RFC 3720) rotated right by 15 bits plus
 * {@code 0xa282ead8}. TensorFlow masks the CRC because a CRC over data that itself holds CRCs is weak.
 */
public final class MaskedCrc32c {

  private static final int MASK_DELTA = 0xa282ead8;

  private MaskedCrc32c() {}

  /** The plain CRC-32C of {@code data[offset, offset + length)}. */
  public static int crc32c(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    return (int) crc.getValue();
  }

  /** The masked CRC-32C of all of {@code data}, as TFRecord stores it. */
  public static int masked(byte[] data) {
    return mask(crc32c(data, 0, data.length));
  }

  /** {@code ((crc >>> 15) | (crc << 17)) + 0xa282ead8}, in 32-bit arithmetic. */
  public static int mask(int crc) {
    return Integer.rotateRight(crc, 15) + MASK_DELTA;
  }
}
