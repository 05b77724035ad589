/**
 * The GRPO objective of AR-GRPO, exactly: group advantages (eq. 3, {@link io.github.argrpo.core.grpo.GroupAdvantages}),
 * the clipped surrogate (eq. 4-5, {@link io.github.argrpo.core.grpo.ClippedSurrogate}), the k3 KL (eq. 6,
 * {@link io.github.argrpo.core.grpo.KlK3}), loss aggregation ({@link io.github.argrpo.core.grpo.LossAggregation}),
 * their combination ({@link io.github.argrpo.core.grpo.GrpoLoss}), and the optimisation phase
 * ({@link io.github.argrpo.core.grpo.GrpoOptimizer}, the seam the trainer programs against, and
 * {@link io.github.argrpo.core.grpo.AdamWGrpoOptimizer} with its {@link io.github.argrpo.core.grpo.AdamWFactory},
 * which sets libtorch's AdamW despite the bindings' reversed betas layout).
 */
package io.github.argrpo.core.grpo;
