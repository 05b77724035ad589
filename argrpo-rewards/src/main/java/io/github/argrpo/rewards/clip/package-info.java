/**
 * CLIP on libtorch: the BPE tokenizer ({@link io.github.argrpo.rewards.clip.ClipTokenizer}), the model
 * ({@link io.github.argrpo.rewards.clip.ClipModel}, configured by
 * {@link io.github.argrpo.rewards.clip.ClipConfig}, loading OpenAI/open_clip or Hugging Face weights),
 * the reference image preprocessing ({@link io.github.argrpo.rewards.clip.ClipPreprocess}) and the
 * CLIP-score reward ({@link io.github.argrpo.rewards.clip.ClipScoreReward}) AR-GRPO trains with, registered
 * as {@code clip} by {@link io.github.argrpo.rewards.clip.ClipRewardProvider}.
 */
package io.github.argrpo.rewards.clip;
