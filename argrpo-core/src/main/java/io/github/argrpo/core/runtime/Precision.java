package io.github.argrpo.core.runtime;

import java.util.Locale;

import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Numeric precision of weights and activations. On CPUs with avx512_bf16, {@link #BF16} matmuls are
 * 3-5x faster than {@link #FP32}; fp16 on CPU is very slow, so it is not offered.
 */
public enum Precision {
  /** 32-bit float weights and activations. */
  FP32(ScalarType.Float),
  /** bfloat16 weights and activations; norms, RoPE and log-probs stay in fp32 as the reference does. */
  BF16(ScalarType.BFloat16);

  private final ScalarType scalarType;

  Precision(ScalarType scalarType) {
    this.scalarType = scalarType;
  }

  /** The libtorch scalar type. */
  public ScalarType scalarType() {
    return scalarType;
  }

  /** Parses {@code fp32}/{@code float32}/{@code bf16}/{@code bfloat16}, case-insensitively. */
  public static Precision parse(String s) {
    switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "fp32":
      case "float32":
      case "float":
        return FP32;
      case "bf16":
      case "bfloat16":
        return BF16;
      default:
        throw new IllegalArgumentException("unknown precision '" + s + "': use fp32 or bf16");
    }
  }
}
