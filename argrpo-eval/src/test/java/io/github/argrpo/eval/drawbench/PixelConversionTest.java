package io.github.argrpo.eval.drawbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.github.argrpo.core.image.ImageBatch;

/**
 * The two 8-bit conversions of AR-GRPO's evaluation on hand-worked values. x * 255 in float32:
 * 0.5 -> 127.5 (round: 128, truncate: 127); 0.3f -> 76.5 and 0.7f -> 178.5, where torch's
 * half-to-even rounding gives 76 and 178 (not 77, 179); 0.999 -> 254.745 (255 vs 254).
 * (Checked once against torch 1.13: {@code (x*255).round()} and {@code (x*255).to(torch.uint8)}.)
 */
class PixelConversionTest {

  @Test
  void roundsHalfToEvenAndTruncates() {
    float[] x = {0.5f, 0.3f, 0.7f, 0.999f, 0f, 1f};
    int[] round = {128, 76, 178, 255, 0, 255};
    int[] trunc = {127, 76, 178, 254, 0, 255};
    for (int i = 0; i < x.length; i++) {
      assertEquals(round[i], PixelConversion.ROUND.toUint8(x[i]), "round " + x[i]);
      assertEquals(trunc[i], PixelConversion.TRUNCATE.toUint8(x[i]), "truncate " + x[i]);
    }
  }

  @Test
  void eightBitLevelsSurviveBothConversions() {
    // a PNG read as v / 255 must come back as v under either conversion (torch agrees for all 256 levels)
    for (int v = 0; v < 256; v++) {
      assertEquals(v, PixelConversion.ROUND.toUint8(v / 255f));
      assertEquals(v, PixelConversion.TRUNCATE.toUint8(v / 255f));
    }
  }

  @Test
  void imageBytesAreHwc() {
    // one 1x2 image: pixel 0 = (0.5, 0.3, 0.0), pixel 1 = (1.0, 0.999, 0.7), stored CHW
    float[] chw = {0.5f, 1f, 0.3f, 0.999f, 0f, 0.7f};
    try (ImageBatch b = ImageBatch.fromArray(chw, 1, 1, 2)) {
      assertArrayEquals(new byte[] {(byte) 128, 76, 0, (byte) 255, (byte) 255, (byte) 178},
          PixelConversion.ROUND.toUint8Hwc(b, 0));
      assertArrayEquals(new byte[] {127, 76, 0, (byte) 255, (byte) 254, (byte) 178},
          PixelConversion.TRUNCATE.toUint8Hwc(b, 0));
    }
  }
}
