package io.github.argrpo.models.vq;

import static org.bytedeco.pytorch.global.torch.conv2d;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.runtime.Scopes;

/**
 * A libtorch {@code Conv2d} (same parameters and state-dict names) whose bf16 forward runs in fp32 on CPUs
 * where oneDNN has no bf16 convolution.
 *
 * <p>Why: libtorch sends a bf16 convolution to oneDNN only when oneDNN supports bf16 on the CPU
 * ({@code ideep::has_bf16_type_support()}: the AVX-512 core ISA, or AVX2-VNNI-2). Elsewhere, for example
 * on an AVX2-only EPYC VM, it falls back to {@code slow_conv2d} (im2col and a scalar bf16 GEMM): measured
 * 3 to 6 GFLOP/s against 55 to 128 GFLOP/s for oneDNN's fp32 convolution on the same machine, so a bf16
 * VQ decode took 41 s per image instead of about 2. Upcasting the bf16 input, weight and bias to fp32 is
 * exact, every bf16 x bf16 product is exact in fp32, the sum is accumulated in fp32 and the result is
 * rounded to bf16 once: the arithmetic of oneDNN's bf16 convolution (fp32 accumulation, one rounding),
 * up to the summation order.
 *
 * <p>Whether to: {@link Bf16Compute#IN_FP32}.
 */
final class VqConv2d extends Conv2dImpl {

  private final long[] stride;
  private final long[] padding;

  VqConv2d(Conv2dOptions options, long stride, long padding) {
    super(options);
    this.stride = new long[] {stride, stride};
    this.padding = new long[] {padding, padding};
  }

  @Override
  public Tensor forward(Tensor x) {
    if (!Bf16Compute.IN_FP32 || !Dtypes.is(x, ScalarType.BFloat16)) {
      return super.forward(x);
    }
    PointerScope outer = Scopes.outer();
    try (PointerScope ignored = new PointerScope()) {
      // .to() keeps the memory format, so channels-last activations stay channels-last
      Tensor y = conv2d(x.to(ScalarType.Float), weight().to(ScalarType.Float),
          new TensorOptional(bias().to(ScalarType.Float)), stride, padding, new long[] {1, 1}, 1);
      return Scopes.handOut(y.to(ScalarType.BFloat16), outer);
    }
  }
}
