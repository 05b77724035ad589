package io.github.argrpo.core.grpo;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

/**
 * Called by a {@link GrpoOptimizer} (as {@link AdamWGrpoOptimizer} does) after the gradients of an optimizer step are accumulated and
 * before they are clipped and applied: the place where data-parallel training averages gradients
 * across processes (there is no DistributedDataParallel in libtorch's C++ API).
 */
@FunctionalInterface
public interface GradientSynchronizer {

  /** A synchronizer that does nothing (single process). */
  GradientSynchronizer NONE = params -> {};

  /**
   * Makes the {@code grad()} of every parameter the value all processes agree on (usually the mean).
   * Parameters whose gradient is undefined must be treated as zero gradients.
   */
  void synchronize(List<Tensor> params);
}
