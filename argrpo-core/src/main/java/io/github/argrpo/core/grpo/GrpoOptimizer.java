package io.github.argrpo.core.grpo;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.file.Path;

import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.Rollouts;

/**
 * The optimisation phase of a GRPO step (AR-GRPO section 3.4), the seam the trainer programs against:
 * group advantages from the rewards, then {@code mu} passes of the clipped, KL-regularised objective
 * over the rollouts, stepping the policy's parameters. {@link AdamWGrpoOptimizer} is the implementation
 * the paper ran; another update rule plugs into {@code GrpoTrainer} through a {@link Factory}.
 *
 * <pre>{@code
 * try (GrpoOptimizer opt = new AdamWGrpoOptimizer(policy, GrpoConfig.arGrpoPaper());
 *      Policy ref = policy.frozenCopy()) {
 *   try (Rollouts r = policy.sample(conditions, 8, SamplingConfig.arGrpo().withSeed(step))) {
 *     double[] rewards = ...;                      // one per rollout, group by group
 *     GrpoStepStats s = opt.step(r, rewards, policy, ref);
 *   }
 * }
 * }</pre>
 */
public interface GrpoOptimizer extends AutoCloseable {

  /** Builds the optimizer of a policy; {@code AdamWGrpoOptimizer::new} is the default. */
  @FunctionalInterface
  interface Factory {
    /**
     * @param policy the policy to train
     * @param config the optimizer config of this process (in a data-parallel run, the per-rank share of
     *     the global optimizer step)
     */
    GrpoOptimizer create(Policy policy, GrpoConfig config);
  }

  /**
   * Updates {@code policy} on one generated batch: group advantages from {@code rewards}
   * ({@link GroupAdvantages}), then {@link #optimize}.
   *
   * @param rollouts the sampled sequences, group by group (not closed by this call)
   * @param rewards one finite reward per rollout, in rollout order
   * @param policy the policy being trained (the one this optimizer was built for)
   * @param reference the frozen reference {@code pi_ref}; may be null when {@code beta = 0}
   * @throws IllegalArgumentException on group sizes below 2, partial groups, a reward count that does not
   *     match, or a non-finite reward (named by sample)
   */
  default GrpoStepStats step(Rollouts rollouts, double[] rewards, Policy policy, Policy reference) {
    int n = rollouts.size();
    checkArgument(rewards.length == n, "%s rewards for %s rollouts; pass one reward per rollout", rewards.length, n);
    double[] adv = GroupAdvantages.compute(rewards, rollouts.groupSize(), config().advantages());
    return optimize(rollouts, adv, rewards, GroupAdvantages.zeroStdFraction(rewards, rollouts.groupSize()), policy,
        reference);
  }

  /**
   * The optimisation phase with advantages computed elsewhere (for example from rewards all-gathered
   * across processes when the std is taken over the whole global batch).
   *
   * @param rollouts the sampled sequences, group by group (not closed by this call)
   * @param advantages one per rollout
   * @param rewards one per rollout, for the statistics only
   * @param zeroStdFraction fraction of groups with equal rewards, for the statistics
   * @param policy the policy being trained (the one this optimizer was built for)
   * @param reference the frozen reference {@code pi_ref}; may be null when {@code beta = 0}
   * @return this process's statistics of the phase
   */
  GrpoStepStats optimize(Rollouts rollouts, double[] advantages, double[] rewards, double zeroStdFraction, Policy policy,
      Policy reference);

  /** The configuration in effect. */
  GrpoConfig config();

  /** The learning rate the next update uses. */
  double learningRate();

  /** Changes the learning rate of later updates (a schedule calls this between steps). */
  void setLearningRate(double learningRate);

  /**
   * Sets the hook that makes the gradients agree across processes before each parameter update (data
   * parallelism); null means {@link GradientSynchronizer#NONE}.
   */
  void setGradientSynchronizer(GradientSynchronizer synchronizer);

  /**
   * Writes the optimizer state (moments, step counts, learning rate) to {@code file}, which the caller
   * places (a checkpoint folder); an optimizer without state may write an empty file.
   */
  void saveState(Path file);

  /**
   * Restores the state {@link #saveState} wrote, into an optimizer built for the same policy and config.
   *
   * @throws IllegalStateException if the file does not hold this optimizer's state
   */
  void loadState(Path file);

  /** Releases the optimizer state. */
  @Override
  void close();
}
