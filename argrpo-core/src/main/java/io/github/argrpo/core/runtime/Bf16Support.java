package io.github.argrpo.core.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Whether this CPU runs bf16 convolutions and matmuls natively, or whether argrpo's bf16 paths should
 * compute them in fp32 and round the result to bf16 once.
 *
 * <p>Why: libtorch hands bf16 convolutions and matmuls to oneDNN only when oneDNN supports bf16 on the
 * CPU ({@code ideep::has_bf16_type_support()}: the AVX-512 core ISA, or AVX2-VNNI-2); elsewhere, e.g. on
 * an AVX2-only EPYC, it runs scalar bf16 kernels 5-20x slower than its fp32 ones (measured: a 3x3
 * convolution 3-6 against 61-72 GFLOP/s, a 2048-square linear 6.8 against 53.7, on 2 threads). Computing
 * in fp32 is exact for the products (bf16 x bf16 fits in fp32) and accumulates in fp32, which is oneDNN's
 * bf16 arithmetic up to the summation order.
 *
 * <p>Decided once per process from {@code /proc/cpuinfo}; {@code -Dargrpo.bf16InFp32=true|false}
 * overrides it. Not Linux, or unreadable: libtorch's own choice is kept.
 */
public final class Bf16Support {

  /** The system property that overrides the decision. */
  public static final String PROPERTY = "argrpo.bf16InFp32";

  private static final boolean VIA_FP32 = viaFp32(System.getProperty(PROPERTY), cpuFlags());

  private Bf16Support() {}

  /** Whether bf16 convolutions and matmuls of this process should run through fp32 (see the class comment). */
  public static boolean viaFp32() {
    return VIA_FP32;
  }

  /**
   * The decision: {@code override} ("true"/"false") if set, otherwise fp32 unless {@code flags} (the
   * {@code /proc/cpuinfo} flags; null when unknown) show one of oneDNN's bf16 ISAs.
   */
  public static boolean viaFp32(String override, Set<String> flags) {
    if (override != null && !override.isBlank()) {
      return Boolean.parseBoolean(override.trim());
    }
    if (flags == null) {
      return false;
    }
    boolean avx512Core = flags.containsAll(Set.of("avx512f", "avx512bw", "avx512vl", "avx512dq"));
    boolean avx2Vnni2 = flags.containsAll(Set.of("avx_vnni_int8", "avx_ne_convert"));
    return !(avx512Core || avx2Vnni2);
  }

  /** The flags of the first processor in {@code /proc/cpuinfo}, or null. */
  public static Set<String> cpuFlags() {
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
