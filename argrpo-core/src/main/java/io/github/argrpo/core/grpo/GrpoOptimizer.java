package io.github.argrpo.core.grpo;

import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.Rollouts;

/**
 * The optimisation phase of a GRPO step (AR-GRPO section 3.4): group advantages from the rewards,
 * then {@code mu} passes of the clipped, KL-regularised objective over the rollouts, stepping the
 * policy's optimizer.
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

  /**
   * Updates {@code policy} on one generated batch.
   *
   * @param rollouts the sampled sequences, group by group (not closed by this call)
   * @param rewards one finite reward per rollout, in rollout order
   * @param policy the policy being trained (the one this optimizer was built for)
   * @param reference the frozen reference {@code pi_ref}; may be null when {@code beta = 0}
   * @throws IllegalArgumentException on group sizes below 2, partial groups, a reward count that does not
   *     match, or a non-finite reward (named by sample)
   */
  GrpoStepStats step(Rollouts rollouts, double[] rewards, Policy policy, Policy reference);

  /** The configuration in effect. */
  GrpoConfig config();

  /** Releases the optimizer state. */
  @Override
  void close();
}
