package io.github.argrpo.models.vq;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.runtime.NativeRuntime;

/** LlamaGen's uint8 conversion and the [0, 1] hand-off on edge values, worked by hand. */
class VqOutputConversionTest {

  @BeforeAll
  static void init() {
    NativeRuntime.init();
  }

  @Test
  void uint8IsTruncatedClampOf127Point5XPlus128() {
    // 127.5x + 128: -2 -> -127 -> 0; -1 -> 0.5 -> 0; -0.99 -> 1.775 -> 1; -0.5 -> 64.25 -> 64; 0 -> 128;
    // 0.5 -> 191.75 -> 191; 0.99 -> 254.225 -> 254; 1 -> 255.5 -> 255; 3 -> 510.5 -> 255;
    // -1.0039216 -> -0.0 -> 0; 0.9921 -> 254.49 -> 254; 0.0039216 -> 128.5 -> 128
    float[] x = {-2f, -1f, -0.99f, -0.5f, 0f, 0.5f, 0.99f, 1f, 3f, -1.0039216f, 0.9921f, 0.0039216f};
    int[] want = {0, 0, 1, 64, 128, 191, 254, 255, 255, 0, 254, 128};
    // as one image (1, 3, 1, 4): channel c holds x[c*4 .. c*4+3]
    try (PointerScope ignored = new PointerScope()) {
      Tensor u = VqTokenizer.toUint8(Tensor.create(x, 1, 3, 1, 4));
      assertThat(u.sizes().vec().get()).containsExactly(1, 1, 4, 3);
      byte[] got = new byte[12];
      new BytePointer(u.data_ptr_byte()).get(got);
      // HWC: pixel p, channel c at p*3 + c  <-  x[c*4 + p]
      for (int p = 0; p < 4; p++) {
        for (int c = 0; c < 3; c++) {
          assertThat(got[p * 3 + c] & 0xff).as("pixel %s channel %s (x=%s)", p, c, x[c * 4 + p])
              .isEqualTo(want[c * 4 + p]);
        }
      }
    }
  }

  @Test
  void unitRangeIsClampedHalfShift() {
    try (PointerScope ignored = new PointerScope()) {
      Tensor y = VqTokenizer.toUnitRange(Tensor.create(new float[] {-3f, -1f, 0f, 0.5f, 1f, 3f}, 6));
      assertThat(VectorQuantizerTest.floats(y)).containsExactly(0f, 0f, 0.5f, 0.75f, 1f, 1f);
    }
  }
}
