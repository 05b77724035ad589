package io.github.argrpo.core.train;

/** Observes a training run (progress bars, external loggers). Callbacks run on the training thread. */
public interface TrainingListener {

  /** Before the first step; {@code firstStep > 1} when resuming. */
  default void onStart(int firstStep, int lastStep) {}

  /** After each step (on rank 0 in data-parallel runs). */
  default void onStep(StepRecord record) {}

  /** After the last step. */
  default void onEnd() {}
}
