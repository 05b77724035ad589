package io.github.argrpo.examples.extend;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Set;

import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.rewards.stack.RewardOptions;
import io.github.argrpo.rewards.stack.RewardProvider;
import io.github.argrpo.rewards.stack.RewardSpec;

/**
 * Makes {@link TargetColourReward} available to YAML reward stacks as {@code target_colour}, with option
 * {@code rgb: [r, g, b]} (default orange {@code [1.0, 0.5, 0.0]}). It is found through
 * {@code ServiceLoader}: the examples module lists it in
 * {@code META-INF/services/RewardProvider}; a jar of your own does the
 * same, and a stack then names it like any built-in reward:
 *
 * <pre>
 * rewards:
 *   - {name: target_colour, options: {rgb: [0.0, 0.4, 1.0]}}
 *   - {name: sharpness, weight: 0.1, options: {tau: 0.01}}
 * </pre>
 */
public final class TargetColourProvider implements RewardProvider {

  @Override
  public String name() {
    return "target_colour";
  }

  @Override
  public RewardFunction create(RewardSpec spec) {
    RewardOptions o = spec.opts().requireOnly(Set.of("rgb"));
    double[] rgb = o.doubles("rgb", new double[] {1.0, 0.5, 0.0});
    checkArgument(rgb.length == 3,
        "reward 'target_colour': option 'rgb' needs three numbers [r, g, b], got %s", rgb.length);
    return new TargetColourReward((float) rgb[0], (float) rgb[1], (float) rgb[2]);
  }
}
