package io.github.argrpo.core.train.tensorboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** CRC-32C against the test vectors of RFC 3720, appendix B.4, and the mask against a hand-worked value. */
class MaskedCrc32cTest {

  private static int crc(byte[] b) {
    return MaskedCrc32c.crc32c(b, 0, b.length);
  }

  @Test
  void rfc3720Vectors() {
    byte[] zeros = new byte[32];
    byte[] ones = new byte[32];
    Arrays.fill(ones, (byte) 0xff);
    byte[] up = new byte[32];
    byte[] down = new byte[32];
    for (int i = 0; i < 32; i++) {
      up[i] = (byte) i;
      down[i] = (byte) (31 - i);
    }
    assertThat(crc(zeros)).isEqualTo(0x8A9136AA);
    assertThat(crc(ones)).isEqualTo(0x62A8AB43);
    assertThat(crc(up)).isEqualTo(0x46DD794E);
    assertThat(crc(down)).isEqualTo(0x113FDB5C);
  }

  @Test
  void maskRotatesRightBy15AndAddsTheDelta() {
    // 0x00008000 rotated right by 15 is 1; 1 + 0xa282ead8 = 0xa282ead9
    assertThat(MaskedCrc32c.mask(0x00008000)).isEqualTo(0xa282ead9);
    // 1 rotated right by 15 is 1 << 17 = 0x00020000; + 0xa282ead8 = 0xa284ead8
    assertThat(MaskedCrc32c.mask(1)).isEqualTo(0xa284ead8);
  }
}
