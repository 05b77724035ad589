package io.github.argrpo.core.train.tensorboard;

import java.util.Map;

/**
 * The TensorBoard tag of a {@code metrics.jsonl} key: TRL's {@code GRPOTrainer} name where TRL logs the
 * same quantity ({@code reward_mean} is {@code train/reward}, {@code reward/clip} is
 * {@code train/rewards/clip/mean}, {@code zero_std_fraction} is {@code train/frac_reward_zero_std}, ...),
 * the argrpo name otherwise, always under {@code train/} as Hugging Face's Trainer writes them. So a
 * TRL run and an argrpo run sit on the same charts; docs/metrics.md has the whole table.
 */
public final class TrlNames {

  private static final String PREFIX = "train/";

  private static final Map<String, String> RENAMED = Map.of(
      "reward_mean", "reward",
      "clip_fraction", "clip_ratio/region_mean",
      "clip_fraction_low", "clip_ratio/low_mean",
      "clip_fraction_high", "clip_ratio/high_mean",
      "zero_std_fraction", "frac_reward_zero_std");

  private TrlNames() {}

  /** The tag of {@code key}. */
  public static String tag(String key) {
    if (key.startsWith("reward/")) {
      return PREFIX + "rewards/" + key.substring("reward/".length()) + "/mean";
    }
    return PREFIX + RENAMED.getOrDefault(key, key);
  }
}
