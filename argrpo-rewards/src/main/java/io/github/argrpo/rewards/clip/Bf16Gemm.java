package io.github.argrpo.rewards.clip;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.runtime.Bf16Support;
import io.github.argrpo.core.runtime.Scopes;

/**
 * The towers' bf16 matmuls, linears and the patch convolution, run in fp32 on CPUs where oneDNN has no
 * bf16 (then libtorch falls back to scalar bf16 kernels).
 *
 * <p>Why: libtorch uses oneDNN for bf16 only when {@code ideep::has_bf16_type_support()} (the AVX-512 core
 * ISA, or AVX2-VNNI-2). On an AVX2-only EPYC VM, 2 threads, a bf16 {@code linear} of 400x768 by
 * 3072x768 (ViT-B/32, 8 images) ran 4.5 GFLOP/s against 24.8 in fp32, a 2048-square one 6.8 against 53.7.
 * Upcasting bf16 operands is exact, bf16 x bf16 products are exact in fp32, the sum is accumulated in fp32
 * and rounded to bf16 once: oneDNN's bf16 arithmetic, up to the summation order.
 *
 * <p>Whether to: {@link Bf16Support#viaFp32()} ({@code -Dargrpo.bf16InFp32=true|false} overrides it).
 */
final class Bf16Gemm {

  /** Whether bf16 products of this process run through fp32 (see the class comment). */
  static final boolean VIA_FP32 = Bf16Support.viaFp32();

  private Bf16Gemm() {}

  /** {@code torch.linear(x, w, b)}; {@code b} may be null. */
  static Tensor linear(Tensor x, Tensor w, Tensor b) {
    if (!VIA_FP32 || !isBf16(x)) {
      return b == null ? torch.linear(x, w) : torch.linear(x, w, new TensorOptional(b));
    }
    PointerScope outer = PointerScope.getInnerScope();
    try (PointerScope ignored = new PointerScope()) {
      Tensor xf = x.to(ScalarType.Float);
      Tensor wf = w.to(ScalarType.Float);
      Tensor y = b == null ? torch.linear(xf, wf) : torch.linear(xf, wf, new TensorOptional(b.to(ScalarType.Float)));
      return Scopes.handOut(y.to(ScalarType.BFloat16), outer);
    }
  }

  /** {@code a.matmul(b)}. */
  static Tensor matmul(Tensor a, Tensor b) {
    if (!VIA_FP32 || !isBf16(a)) {
      return a.matmul(b);
    }
    PointerScope outer = PointerScope.getInnerScope();
    try (PointerScope ignored = new PointerScope()) {
      return Scopes.handOut(a.to(ScalarType.Float).matmul(b.to(ScalarType.Float)).to(ScalarType.BFloat16), outer);
    }
  }

  /** {@code torch.conv2d(x, w)} without bias, stride {@code stride}, no padding (the patch embedding). */
  static Tensor patchConv(Tensor x, Tensor w, long stride) {
    long[] s = {stride, stride};
    long[] zero = {0, 0};
    long[] one = {1, 1};
    if (!VIA_FP32 || !isBf16(x)) {
      return torch.conv2d(x, w, new TensorOptional(), s, zero, one, 1);
    }
    PointerScope outer = PointerScope.getInnerScope();
    try (PointerScope ignored = new PointerScope()) {
      Tensor y = torch.conv2d(x.to(ScalarType.Float), w.to(ScalarType.Float), new TensorOptional(), s, zero, one, 1);
      return Scopes.handOut(y.to(ScalarType.BFloat16), outer);
    }
  }

  private static boolean isBf16(Tensor t) {
    return t.scalar_type().value == ScalarType.BFloat16.value;
  }


}
