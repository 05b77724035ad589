package io.github.argrpo.models.vq;

import static org.bytedeco.pytorch.global.torch.bmm;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.runtime.Bf16Support;
import io.github.argrpo.core.runtime.Scopes;

/**
 * Whether the VQ model's bf16 convolutions and matmuls run in fp32, and the attention {@code bmm} that
 * does so.
 *
 * <p>Why: libtorch sends bf16 convolutions and matmuls to oneDNN only when oneDNN supports bf16 on the CPU
 * ({@code ideep::has_bf16_type_support()}: the AVX-512 core ISA, or AVX2-VNNI-2); elsewhere it runs scalar
 * bf16 kernels, 10x to 20x slower than its fp32 ones (see {@link VqConv2d}). In fp32, every bf16 x bf16
 * product is exact and the sum is accumulated in fp32, then rounded to bf16 once: oneDNN's bf16
 * arithmetic, up to the summation order.
 *
 * <p>Whether to: {@link Bf16Support#viaFp32()} ({@code -Dargrpo.bf16InFp32=true|false} overrides it).
 */
final class Bf16Compute {

  /** Whether bf16 convolutions and matmuls of this process run through fp32. */
  static final boolean IN_FP32 = Bf16Support.viaFp32();

  private Bf16Compute() {}

  /** {@code bmm(a, b)}; for bf16 operands through fp32 when {@link #IN_FP32}, rounded to bf16 once. */
  static Tensor bmm16(Tensor a, Tensor b) {
    if (!IN_FP32 || !Dtypes.is(a, ScalarType.BFloat16)) {
      return bmm(a, b);
    }
    PointerScope outer = Scopes.outer();
    try (PointerScope ignored = new PointerScope()) {
      return Scopes.handOut(bmm(a.to(ScalarType.Float), b.to(ScalarType.Float)).to(ScalarType.BFloat16), outer);
    }
  }

}
