package io.github.argrpo.rewards.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InterpolateFuncOptions;
import org.bytedeco.pytorch.LongVector;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.kBicubic;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import io.github.argrpo.core.runtime.NativeRuntime;

/** {@link PilBicubicResize}: hand-worked values, invariants, and libtorch's PIL-compatible antialiased bicubic. */
class PilBicubicResizeTest {

  /**
   * 4 -> 2 pixels, scale 2: the kernel is stretched to support 4, taps at distances
   * (-0.25, 0.25, 0.75, 1.25) with weights (0.8672, 0.8672, 0.2266, -0.0703) / 1.8906, so the first output is
   * 255 * 0.15625 / 1.890625 = 21.07 and the second 233.93.
   */
  @Test
  void handWorkedDownscale() {
    byte[] row = {0, 0, (byte) 255, (byte) 255};
    byte[] out = PilBicubicResize.resize(row, 4, 1, 1, 2, 1);
    assertThat(out[0] & 0xFF).isEqualTo(21);
    assertThat(out[1] & 0xFF).isEqualTo(234);
    byte[] col = PilBicubicResize.resize(row, 1, 4, 1, 1, 2);
    assertThat(col).containsExactly(out);
  }

  /** Bit for bit as Pillow 9.4's {@code Image.resize(..., BICUBIC)} (goldens from make_reward_goldens.py). */
  @TestFactory
  Stream<DynamicTest> matchesPillowBitForBit() {
    return PreprocessGoldens.cases("pil").stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      try (PointerScope scope = new PointerScope()) {
        Tensor in = PreprocessGoldens.tensor("pil/" + name + "/in");
        Tensor out = PreprocessGoldens.tensor("pil/" + name + "/out");
        long[] is = in.sizes().vec().get();
        long[] os = out.sizes().vec().get();
        byte[] got = PilBicubicResize.resize(PreprocessGoldens.bytes(in), (int) is[1], (int) is[0], 3, (int) os[1], (int) os[0]);
        byte[] want = PreprocessGoldens.bytes(out);
        int differing = 0;
        for (int i = 0; i < want.length; i++) {
          differing += got[i] == want[i] ? 0 : 1;
        }
        assertThat(differing).as("%s: bytes differing from Pillow, of %s", name, want.length).isZero();
      }
    }));
  }

  @Test
  void keysKernelWithAMinusHalf() {
    assertThat(PilBicubicResize.cubic(0)).isEqualTo(1.0);
    assertThat(PilBicubicResize.cubic(1)).isEqualTo(0.0);
    assertThat(PilBicubicResize.cubic(0.5)).isEqualTo(0.5625);
    assertThat(PilBicubicResize.cubic(-1.5)).isEqualTo(-0.0625);
    assertThat(PilBicubicResize.cubic(2)).isEqualTo(0.0);
  }

  @Test
  void sameSizeIsACopyAndConstantsStayConstant() {
    qt().withExamples(30).forAll(integers().between(1, 60), integers().between(1, 60), integers().between(0, 255))
        .checkAssert((w, h, v) -> {
          byte[] img = new byte[w * h * 3];
          Arrays.fill(img, (byte) (int) v);
          assertThat(PilBicubicResize.resize(img, w, h, 3, w, h)).containsExactly(img);
          int ow = Math.max(1, (w * 7) / 5);
          int oh = Math.max(1, (h * 3) / 7);
          byte[] out = PilBicubicResize.resize(img, w, h, 3, ow, oh);
          assertThat(out).hasSize(ow * oh * 3);
          for (byte b : out) {
            assertThat(b & 0xFF).isEqualTo(v);
          }
        });
  }

  /**
   * libtorch's {@code interpolate(bicubic, antialias=True)} uses the same Keys a = -0.5 antialiased filter in
   * float; PIL differs only by rounding the intermediate and the output to 8 bits: at most one level apart
   * on images that do not saturate (near 0 or 255 PIL also clamps the 8-bit intermediate, libtorch does not).
   */
  @Test
  void withinOneLevelOfLibtorchAntialiasedBicubic() {
    NativeRuntime.init();
    Random rnd = new Random(7);
    int[][] cases = {{256, 256, 224, 224}, {384, 384, 224, 224}, {300, 200, 336, 224}, {20, 24, 32, 40}};
    for (int[] c : cases) {
      int w = c[0];
      int h = c[1];
      int ow = c[2];
      int oh = c[3];
      byte[] img = smoothNoise(rnd, w, h);
      byte[] pil = PilBicubicResize.resize(img, w, h, 3, ow, oh);
      float[] ref = torchResize(img, w, h, ow, oh);
      int worst = 0;
      for (int y = 0; y < oh; y++) {
        for (int x = 0; x < ow; x++) {
          for (int ch = 0; ch < 3; ch++) {
            float r = Math.max(0, Math.min(255, Math.round(ref[(ch * oh + y) * ow + x])));
            worst = Math.max(worst, (int) Math.abs((pil[(y * ow + x) * 3 + ch] & 0xFF) - r));
          }
        }
      }
      assertThat(worst).as("max level difference for %sx%s -> %sx%s", w, h, ow, oh).isLessThanOrEqualTo(1);
    }
  }

  private static byte[] smoothNoise(Random rnd, int w, int h) {
    byte[] img = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          double v = 127.5 + 60 * Math.sin(x * 0.21 + c) * Math.cos(y * 0.13) + rnd.nextGaussian() * 12;
          img[(y * w + x) * 3 + c] = (byte) Math.max(0, Math.min(255, (int) v));
        }
      }
    }
    return img;
  }

  private static float[] torchResize(byte[] hwc, int w, int h, int ow, int oh) {
    float[] chw = new float[3 * h * w];
    for (int i = 0; i < h * w; i++) {
      for (int c = 0; c < 3; c++) {
        chw[c * h * w + i] = hwc[i * 3 + c] & 0xFF;
      }
    }
    try (PointerScope s = new PointerScope()) {
      InterpolateFuncOptions o = new InterpolateFuncOptions();
      o.size().put(new LongVector(oh, ow));
      o.mode().put(new kBicubic());
      o.align_corners().put(false);
      o.antialias().put(true);
      Tensor out = torch.interpolate(Tensor.create(chw, 1, 3, h, w), o).contiguous();
      float[] r = new float[3 * oh * ow];
      new FloatPointer(out.data_ptr_float()).get(r);
      return r;
    }
  }
}
