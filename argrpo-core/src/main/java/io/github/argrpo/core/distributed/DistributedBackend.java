package io.github.argrpo.core.distributed;

import java.util.Locale;

/** The c10d communication backend (torch.distributed's {@code backend=}). */
public enum DistributedBackend {
  /** Gloo: collectives over TCP on CPU tensors; the only backend of the CPU build. */
  GLOO,
  /** NCCL: collectives between CUDA devices; needs the {@code gpu} build profile and one GPU per rank. */
  NCCL;

  /**
   * Parses {@code gloo} or {@code nccl} (case-insensitive).
   *
   * @throws IllegalArgumentException for any other value, naming the accepted ones
   */
  public static DistributedBackend parse(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "gloo" -> GLOO;
      case "nccl" -> NCCL;
      default -> throw new IllegalArgumentException("distributed backend must be 'gloo' or 'nccl', got '" + value + "'");
    };
  }
}
