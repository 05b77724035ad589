package io.github.argrpo.rewards.stack;

import java.util.Set;

import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.rewards.pixel.JpegCompressibilityReward.Unit;
import io.github.argrpo.rewards.pixel.JpegCompressibilityReward;

/**
 * {@code jpeg_compressibility}: {@link JpegCompressibilityReward#compressibility} (negative size).
 * Options: {@code quality} (0..1, default 0.95), {@code unit} ({@code kilobytes} default, or
 * {@code bits_per_pixel}).
 */
public final class JpegCompressibilityProvider implements RewardProvider {

  @Override
  public String name() {
    return "jpeg_compressibility";
  }

  @Override
  public RewardFunction create(RewardSpec spec) {
    RewardOptions o = spec.opts().requireOnly(Set.of("quality", "unit"));
    Unit unit = o.choice("unit", Set.of("kilobytes", "bits_per_pixel"), "kilobytes").equals("kilobytes")
        ? Unit.KILOBYTES : Unit.BITS_PER_PIXEL;
    return JpegCompressibilityReward.compressibility(unit, (float) o.doubleValue("quality", 0.95));
  }
}
