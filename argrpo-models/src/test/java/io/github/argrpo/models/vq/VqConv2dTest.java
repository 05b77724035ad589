package io.github.argrpo.models.vq;

import static org.assertj.core.api.Assertions.assertThat;


import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.MemoryFormat;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.runtime.NativeRuntime;

/** The VQ convolutions: bf16 through fp32 where oneDNN lacks bf16, with the same result up to rounding. */
class VqConv2dTest {

  @BeforeAll
  static void init() {
    NativeRuntime.init();
  }

  @Test
  void bf16ResultIsTheFp32ConvolutionRoundedOnce() {
    Conv2dImpl c = Convs.conv3x3(32, 16);
    try (PointerScope ignored = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      c.to(ScalarType.BFloat16, false);
      torch.manual_seed(3);
      Tensor x = torch.randn(2, 32, 9, 11).to(ScalarType.BFloat16).contiguous(MemoryFormat.ChannelsLast);
      Tensor y = c.forward(x);
      assertThat(Dtypes.is(y, ScalarType.BFloat16)).isTrue();
      assertThat(y.is_contiguous(MemoryFormat.ChannelsLast)).isTrue();
      Tensor exact = torch.conv2d(x.to(ScalarType.Double), c.weight().to(ScalarType.Double),
          new TensorOptional(c.bias().to(ScalarType.Double)), new long[] {1, 1}, new long[] {1, 1},
          new long[] {1, 1}, 1);
      // one bf16 rounding: relative error at most 2^-8 (plus fp32 summation error, far smaller)
      Tensor err = y.to(ScalarType.Double).sub(exact).abs();
      Tensor bound = exact.abs().mul(new org.bytedeco.pytorch.Scalar(Math.pow(2, -8) * 1.01))
          .add(new org.bytedeco.pytorch.Scalar(1e-6));
      assertThat(err.gt(bound).sum().item_long()).isZero();
    } finally {
      c.close();
    }
  }

  /**
   * The defect this class fixes: on an AVX2-only CPU libtorch's bf16 convolution is about 20x slower than
   * its fp32 one. A bf16 VQ convolution must not be much slower than the fp32 one on any CPU.
   */
  @Test
  void bf16IsNotMuchSlowerThanFp32() {
    Conv2dImpl c16 = Convs.conv3x3(64, 64);
    Conv2dImpl c32 = Convs.conv3x3(64, 64);
    try (PointerScope ignored = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      c16.to(ScalarType.BFloat16, false);
      Tensor x32 = torch.randn(2, 64, 48, 48).contiguous(MemoryFormat.ChannelsLast);
      Tensor x16 = x32.to(ScalarType.BFloat16);
      double best16 = Double.MAX_VALUE;
      double best32 = Double.MAX_VALUE;
      for (int r = 0; r < 4; r++) {
        try (PointerScope inner = new PointerScope()) {
          long t0 = System.nanoTime();
          c16.forward(x16);
          long t1 = System.nanoTime();
          c32.forward(x32);
          long t2 = System.nanoTime();
          if (r > 0) {
            best16 = Math.min(best16, t1 - t0);
            best32 = Math.min(best32, t2 - t1);
          }
        }
      }
      assertThat(best16).as("bf16 %.1f ms against fp32 %.1f ms", best16 / 1e6, best32 / 1e6)
          .isLessThan(4 * best32);
    } finally {
      c16.close();
      c32.close();
    }
  }
}
