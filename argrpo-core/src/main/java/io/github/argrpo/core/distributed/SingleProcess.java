package io.github.argrpo.core.distributed;

import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.grpo.GradientSynchronizer;

/** {@link DistributedContext} of one process: every collective is the identity. */
final class SingleProcess implements DistributedContext {

  static final SingleProcess INSTANCE = new SingleProcess();

  private SingleProcess() {}

  @Override
  public int rank() {
    return 0;
  }

  @Override
  public int worldSize() {
    return 1;
  }

  @Override
  public void broadcast(List<Tensor> tensors) {}

  @Override
  public GradientSynchronizer gradientSynchronizer() {
    return GradientSynchronizer.NONE;
  }

  @Override
  public double[] allGather(double[] local) {
    return local.clone();
  }

  @Override
  public Map<String, Double> meanOver(Map<String, Double> local) {
    return local;
  }

  @Override
  public void barrier() {}

  @Override
  public void close() {}
}
