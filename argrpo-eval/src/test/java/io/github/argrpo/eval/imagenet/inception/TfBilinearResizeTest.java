package io.github.argrpo.eval.imagenet.inception;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * TF1 ResizeBilinear without half-pixel centres, worked by hand: 2 -> 4 pixels has scale 1/2, so the
 * sources are 0, 0.5, 1, 1.5 with the last clamped to the edge: {@code [a, (a + b) / 2, b, b]}.
 */
class TfBilinearResizeTest {

  private static float norm(double v) {
    return (float) ((v - 128) / 128);
  }

  @Test
  void upsamplesWithoutHalfPixelCentresAndNormalises() {
    // 2 x 2 image: red channel 0 | 255 across, green 0 / 200 down, blue constant 128
    byte[] hwc = {0, 0, (byte) 128, (byte) 255, 0, (byte) 128, 0, (byte) 200, (byte) 128, (byte) 255, (byte) 200, (byte) 128};
    float[] out = new float[3 * 4 * 4];
    TfBilinearResize.resize(hwc, 2, 2, 4, out, 0);
    float[] redRow0 = {out[0], out[1], out[2], out[3]};
    assertThat(redRow0).containsExactly(norm(0), norm(127.5), norm(255), norm(255));
    int g = 16;
    float[] greenCol0 = {out[g], out[g + 4], out[g + 8], out[g + 12]};
    assertThat(greenCol0).containsExactly(norm(0), norm(100), norm(200), norm(200));
    for (int i = 32; i < 48; i++) {
      assertThat(out[i]).isEqualTo(0f);
    }
  }

  @Test
  void nonSquareAxesAreIndependent() {
    // 1 x 2 image resized to 4: the single row is repeated, the two columns interpolate
    byte[] hwc = {0, 0, 0, (byte) 100, (byte) 100, (byte) 100};
    float[] out = new float[3 * 16];
    TfBilinearResize.resize(hwc, 1, 2, 4, out, 0);
    for (int y = 0; y < 4; y++) {
      assertThat(new float[] {out[y * 4], out[y * 4 + 1], out[y * 4 + 2], out[y * 4 + 3]})
          .containsExactly(norm(0), norm(50), norm(100), norm(100));
    }
  }
}
