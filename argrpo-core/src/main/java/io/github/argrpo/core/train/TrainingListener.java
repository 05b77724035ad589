package io.github.argrpo.core.train;

import java.nio.file.Path;

/** Observes a training run (progress bars, external loggers). Callbacks run on the training thread. */
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

  /** After the last step. */
  default void onEnd() {}
}
