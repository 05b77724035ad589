/**
 * Rewards: the {@link io.github.argrpo.core.reward.RewardFunction} interface, its
 * {@link io.github.argrpo.core.reward.RewardResult}, and composition as in AR-GRPO's Appendix D
 * (weighted sums, scaling, quantization) through {@link io.github.argrpo.core.reward.Rewards}.
 * Model-based adapters (CLIP, HPSv2, MANIQA, the VLM judge) live in {@code argrpo-rewards}.
 */
package io.github.argrpo.core.reward;
