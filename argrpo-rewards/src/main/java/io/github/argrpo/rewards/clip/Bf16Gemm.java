package io.github.argrpo.rewards.clip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

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
 * <p>The choice is read once from {@code /proc/cpuinfo}; {@code -Dargrpo.bf16InFp32=true|false} overrides it.
 */
final class Bf16Gemm {

  /** Whether bf16 products of this process run through fp32 (see the class comment). */
  static final boolean VIA_FP32 = viaFp32(System.getProperty("argrpo.bf16InFp32"), cpuFlags());

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
      return handOut(y.to(ScalarType.BFloat16), outer);
    }
  }

  /** {@code a.matmul(b)}. */
  static Tensor matmul(Tensor a, Tensor b) {
    if (!VIA_FP32 || !isBf16(a)) {
      return a.matmul(b);
    }
    PointerScope outer = PointerScope.getInnerScope();
    try (PointerScope ignored = new PointerScope()) {
      return handOut(a.to(ScalarType.Float).matmul(b.to(ScalarType.Float)).to(ScalarType.BFloat16), outer);
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
      return handOut(y.to(ScalarType.BFloat16), outer);
    }
  }

  /**
   * The decision: {@code override} ("true"/"false") if set, otherwise fp32 unless {@code flags} (the
   * {@code /proc/cpuinfo} flags; null when unknown) show oneDNN's bf16 ISAs.
   */
  static boolean viaFp32(String override, Set<String> flags) {
    if (override != null && !override.isBlank()) {
      return Boolean.parseBoolean(override.trim());
    }
    if (flags == null) {
      return false; // not Linux, or unreadable: keep libtorch's own choice
    }
    boolean avx512Core = flags.containsAll(Set.of("avx512f", "avx512bw", "avx512vl", "avx512dq"));
    boolean avx2Vnni2 = flags.containsAll(Set.of("avx_vnni_int8", "avx_ne_convert"));
    return !(avx512Core || avx2Vnni2);
  }

  private static boolean isBf16(Tensor t) {
    return t.scalar_type().value == ScalarType.BFloat16.value;
  }

  private static Tensor handOut(Tensor t, PointerScope outer) {
    if (outer != null) {
      outer.attach(t);
    } else {
      t.retainReference();
    }
    return t;
  }

  private static Set<String> cpuFlags() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("flags")) {
          return Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }
}
