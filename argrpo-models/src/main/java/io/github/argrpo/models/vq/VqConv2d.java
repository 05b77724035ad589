package io.github.argrpo.models.vq;

import static org.bytedeco.pytorch.global.torch.conv2d;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch.ScalarType;

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
 * <p>The choice is read once from {@code /proc/cpuinfo}; {@code -Dargrpo.vq.bf16ConvInFp32=true|false}
 * overrides it.
 */
final class VqConv2d extends Conv2dImpl {

  /** Whether bf16 convolutions of this process run through fp32 (see the class comment). */
  static final boolean BF16_IN_FP32 = bf16InFp32(System.getProperty("argrpo.vq.bf16ConvInFp32"), cpuFlags());

  private final long[] stride;
  private final long[] padding;

  VqConv2d(Conv2dOptions options, long stride, long padding) {
    super(options);
    this.stride = new long[] {stride, stride};
    this.padding = new long[] {padding, padding};
  }

  @Override
  public Tensor forward(Tensor x) {
    if (!BF16_IN_FP32 || !Dtypes.is(x, ScalarType.BFloat16)) {
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

  /**
   * The decision: {@code override} ("true"/"false") if set, otherwise fp32 unless {@code flags} (the
   * {@code /proc/cpuinfo} flags; null when unknown) show oneDNN's bf16 ISAs.
   */
  static boolean bf16InFp32(String override, Set<String> flags) {
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
