package io.github.argrpo.rewards.stack;

import java.util.Set;

import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.rewards.pixel.SharpnessReward;

/**
 * {@code sharpness}: {@link SharpnessReward}. Option {@code tau} (number &gt; 0): report
 * {@code tanh(variance / tau)}; without it the raw variance of the Laplacian.
 */
public final class SharpnessProvider implements RewardProvider {

  @Override
  public String name() {
    return "sharpness";
  }

  @Override
  public RewardFunction create(RewardSpec spec) {
    RewardOptions o = spec.opts().requireOnly(Set.of("tau"));
    return o.has("tau") ? SharpnessReward.tanh(o.doubleValue("tau", 0)) : SharpnessReward.raw();
  }
}
