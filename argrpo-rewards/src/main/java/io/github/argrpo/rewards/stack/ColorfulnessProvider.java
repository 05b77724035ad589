package io.github.argrpo.rewards.stack;

import java.util.Set;

import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.rewards.pixel.ColorfulnessReward;

/**
 * {@code colorfulness}: {@link ColorfulnessReward}. Option {@code normalized} (boolean, default true):
 * {@code M / 100} instead of the raw Hasler-Suesstrunk {@code M}.
 */
public final class ColorfulnessProvider implements RewardProvider {

  @Override
  public String name() {
    return "colorfulness";
  }

  @Override
  public RewardFunction create(RewardSpec spec) {
    RewardOptions o = spec.opts().requireOnly(Set.of("normalized"));
    return o.bool("normalized", true) ? ColorfulnessReward.normalized() : ColorfulnessReward.raw();
  }
}
