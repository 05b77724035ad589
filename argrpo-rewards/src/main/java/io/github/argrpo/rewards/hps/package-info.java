/**
 * HPSv2 / v2.1 (Human Preference Score) on libtorch: open_clip ViT-H-14 with HPS's fine-tuned weights,
 * scored as the cosine of normalized image and text features ({@link io.github.argrpo.rewards.hps.HpsReward}), registered as {@code hpsv2} by
 * {@link io.github.argrpo.rewards.hps.HpsRewardProvider}.
 */
package io.github.argrpo.rewards.hps;
