package io.github.argrpo.core.train;

import java.nio.file.Path;
import java.util.List;

/**
 * Observes a training run (progress bars, external loggers, the CLI's reward plots). Callbacks run on
 * the training thread.
 */
public interface TrainingListener {

  /** Before the first step; {@code firstStep > 1} when resuming. */
  default void onStart(int firstStep, int lastStep) {}

  /** After each step (on rank 0 in data-parallel runs). */
  default void onStep(StepRecord record) {}

  /**
   * After a sample grid was written (on rank 0): {@code png} is the grid after {@code step} steps,
   * step 0 being the grid before training.
   */
  default void onSampleGrid(int step, Path png) {}

  /**
   * At each sampling step (every {@code sampleEvery} steps and the last step, on rank 0), after that
   * step's sample grid and before its checkpoint: {@code history} is every step record of the run so
   * far, read back from {@code metrics.jsonl}, so after a resume it starts at step 1, not at the
   * resumed step. The CLI redraws {@code reward_curve.png} and {@code reward_components.png} here
   * (the library draws no plots).
   */
  default void onSamplingStep(int step, List<StepRecord> history) {}

  /** After the last step. */
  default void onEnd() {}
}
