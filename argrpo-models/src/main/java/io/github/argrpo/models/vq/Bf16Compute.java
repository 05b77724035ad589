package io.github.argrpo.models.vq;

import static org.bytedeco.pytorch.global.torch.bmm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

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
 * <p>Read once from {@code /proc/cpuinfo}; {@code -Dargrpo.bf16InFp32=true|false} overrides it.
 */
final class Bf16Compute {

  /** Whether bf16 convolutions and matmuls of this process run through fp32. */
  static final boolean IN_FP32 = inFp32(System.getProperty("argrpo.bf16InFp32"), cpuFlags());

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

  /**
   * The decision: {@code override} ("true"/"false") if set, otherwise fp32 unless {@code flags} (the
   * {@code /proc/cpuinfo} flags; null when unknown) show oneDNN's bf16 ISAs.
   */
  static boolean inFp32(String override, Set<String> flags) {
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

  /** The CPU flags of the first processor in {@code /proc/cpuinfo}, or null. */
  static Set<String> cpuFlags() {
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
