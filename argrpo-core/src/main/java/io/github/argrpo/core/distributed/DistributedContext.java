package io.github.argrpo.core.distributed;

import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.grpo.GradientSynchronizer;

/**
 * What the trainer needs from a group of cooperating processes (data-parallel GRPO). The
 * single-process implementation {@link #single()} makes every operation the identity, so the trainer
 * has one code path.
 *
 * <pre>{@code
 * try (DistributedContext ctx = DistributedContext.fromEnvironment()) {   // single() outside a launcher
 *   ctx.broadcast(policy.trainableParameters());
 *   optimizer.setGradientSynchronizer(ctx.gradientSynchronizer());
 *   ... each rank trains on its shard (see DistributedGrpo) ...
 *   if (ctx.isMain()) { writeMetricsAndCheckpoint(); }
 * }
 * }</pre>
 *
 * <p>Contract: every rank calls every collective in the same order; a rank that fails or a collective
 * that exceeds the configured timeout ends the run on every rank with an exception, never a hang.
 */
public interface DistributedContext extends AutoCloseable {

  /** This process's rank in {@code [0, worldSize)}. */
  int rank();

  /** Number of processes. */
  int worldSize();

  /** Whether this is rank 0, the one that writes metrics and checkpoints. */
  default boolean isMain() {
    return rank() == 0;
  }

  /** Overwrites every tensor with rank 0's values (initial weights). */
  void broadcast(List<Tensor> tensors);

  /** The gradient hook that averages gradients over ranks before each optimizer step. */
  GradientSynchronizer gradientSynchronizer();

  /** Concatenation of every rank's {@code local} array in rank order (all ranks pass equal lengths). */
  double[] allGather(double[] local);

  /** Element-wise mean over ranks of each metric (same keys on every rank). */
  Map<String, Double> meanOver(Map<String, Double> local);

  /** Waits until every rank arrives. */
  void barrier();

  /** Leaves the group. */
  @Override
  void close();

  /** The trivial context of a single process. */
  static DistributedContext single() {
    return SingleProcess.INSTANCE;
  }

  /**
   * The context the process environment describes: {@link #single()} when {@code WORLD_SIZE} is unset
   * or 1 (a plain run), else a {@link C10dContext} connected with {@link DistributedConfig#fromEnvironment()}
   * (a run started by {@link LocalLauncher} or torchrun). Blocks until every rank has joined, at most
   * the configured timeout.
   *
   * @throws IllegalArgumentException if the torchrun variables are incomplete or invalid
   * @throws DistributedException if the rendezvous fails
   */
  static DistributedContext fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** {@link #fromEnvironment()} reading the variables from {@code env}. */
  static DistributedContext fromEnvironment(Map<String, String> env) {
    String world = env.get("WORLD_SIZE");
    if (world == null || world.isBlank() || world.trim().equals("1")) {
      return single();
    }
    return C10dContext.connect(DistributedConfig.fromEnvironment(env));
  }
}
