/**
 * The policy side of GRPO: the {@link io.github.argrpo.core.policy.Policy} interface, its
 * {@link io.github.argrpo.core.policy.SamplingConfig}, the sampled
 * {@link io.github.argrpo.core.policy.Rollouts}, the choice of
 * {@link io.github.argrpo.core.policy.LogProbSource}, and the logits processing shared by every
 * sampler ({@link io.github.argrpo.core.policy.LogitsProcessing}), and order-sensitive checksums of weights
 * ({@link io.github.argrpo.core.policy.ParameterChecksums}).
 */
package io.github.argrpo.core.policy;
