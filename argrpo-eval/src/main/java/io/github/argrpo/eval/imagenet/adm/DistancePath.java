package io.github.argrpo.eval.imagenet.adm;

import java.util.Locale;

/**
 * How the squared distances of precision and recall are computed.
 *
 * <p>The ADM evaluator's {@code DistanceBlock} computes them in float16 and uses that result whenever
 * every distance of a 10,000 x 10,000 block is finite, falling back to float32 otherwise. Real pool_3
 * features (squared norms of hundreds to thousands) never overflow, so the published ADM numbers, and
 * the paper's, are float16 ones: {@link #FP16} is the default.
 */
public enum DistancePath {
  /** The evaluator's float16 distances, emulated exactly (fixture README), with its per-block float32 fallback. */
  FP16,
  /** The evaluator's float32 branch for every block (computed in float64 and rounded to float32). */
  FP32;

  /** Parses {@code fp16} or {@code fp32}. */
  public static DistancePath parse(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "fp16", "float16", "half" -> FP16;
      case "fp32", "float32", "float" -> FP32;
      default -> throw new IllegalArgumentException("unknown distance path '" + s + "': use fp16 or fp32");
    };
  }

  /** The lower-case name used on the command line and in reports. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
