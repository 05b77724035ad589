package io.github.argrpo.core.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The layout of a run folder: {@code config.yaml} (resolved), {@code metrics.jsonl},
 * {@code reward_curve.png}, {@code samples/} (grids over time), {@code checkpoints/}.
 *
 * @param root the folder
 */
public record RunFolder(Path root) {

  /** Creates the folder and its sub-folders if missing. */
  public static RunFolder create(Path root) {
    RunFolder f = new RunFolder(root.toAbsolutePath().normalize());
    try {
      Files.createDirectories(f.samples());
      Files.createDirectories(f.checkpoints());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create run folder " + root + ": " + e.getMessage(), e);
    }
    return f;
  }

  /** The resolved configuration. */
  public Path config() {
    return root.resolve("config.yaml");
  }

  /** One JSON object per step. */
  public Path metrics() {
    return root.resolve("metrics.jsonl");
  }

  /**
   * Reward, KL and entropy over steps; the trainer draws no plots, the programs' listener
   * ({@code argrpo train}, the demo) writes it at every sampling step.
   */
  public Path rewardCurve() {
    return root.resolve("reward_curve.png");
  }

  /** Sample grids. */
  public Path samples() {
    return root.resolve("samples");
  }

  /** The grid after {@code step} steps ({@code step-000000.png} is before training). */
  public Path sampleGrid(int step) {
    return samples().resolve(String.format("step-%06d.png", step));
  }

  /** Checkpoints. */
  public Path checkpoints() {
    return root.resolve("checkpoints");
  }
}
