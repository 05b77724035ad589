package io.github.argrpo.examples.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.assertj.core.data.Offset;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.runtime.NativeRuntime;

/**
 * The resize matches PyTorch's bicubic definition, re-derived here in plain Java: source coordinate
 * {@code (dst + 0.5) * in/out - 0.5} (align_corners False), the cubic convolution kernel with
 * {@code a = -0.75} over the 4 neighbours, indices clamped at the borders, no antialias.
 */
class BicubicResizeTest {

  static double kernel(double x) {
    double a = -0.75;
    x = Math.abs(x);
    if (x <= 1) {
      return ((a + 2) * x - (a + 3)) * x * x + 1;
    }
    if (x < 2) {
      return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
    }
    return 0;
  }

  static float[] reference(float[] img, int in, int out) {
    float[] res = new float[out * out];
    double scale = (double) in / out;
    for (int oy = 0; oy < out; oy++) {
      double sy = (oy + 0.5) * scale - 0.5;
      int fy = (int) Math.floor(sy);
      for (int ox = 0; ox < out; ox++) {
        double sx = (ox + 0.5) * scale - 0.5;
        int fx = (int) Math.floor(sx);
        double acc = 0;
        for (int j = -1; j <= 2; j++) {
          int yy = Math.min(in - 1, Math.max(0, fy + j));
          double wy = kernel(sy - (fy + j));
          for (int i = -1; i <= 2; i++) {
            int xx = Math.min(in - 1, Math.max(0, fx + i));
            acc += wy * kernel(sx - (fx + i)) * img[yy * in + xx];
          }
        }
        res[oy * out + ox] = (float) acc;
      }
    }
    return res;
  }

  @Test
  void matchesTheBicubicDefinitionFor384To256Ratio() {
    NativeRuntime.init();
    for (int[] io : new int[][] {{12, 8}, {9, 6}, {5, 7}}) {
      int in = io[0];
      int out = io[1];
      float[] img = new float[in * in];
      Random r = new Random(in * 31 + out);
      for (int i = 0; i < img.length; i++) {
        img[i] = (float) (r.nextDouble() * 2 - 1);
      }
      float[] got = new float[out * out];
      try (PointerScope s = new PointerScope()) {
        Tensor t = BicubicResize.resize(Tensor.create(img, 1, 1, in, in), out).contiguous();
        assertThat(t.size(2)).isEqualTo(out);
        new FloatPointer(t.data_ptr_float()).get(got);
      }
      float[] want = reference(img, in, out);
      for (int i = 0; i < got.length; i++) {
        assertThat(got[i]).as("%d->%d pixel %d", in, out, i).isCloseTo(want[i], Offset.offset(1e-5f));
      }
    }
  }

  @Test
  void sameSizeIsUntouched() {
    NativeRuntime.init();
    try (PointerScope s = new PointerScope()) {
      Tensor t = Tensor.create(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
      assertThat(BicubicResize.resize(t, 2).equal(t)).isTrue();
    }
  }
}
