package io.github.argrpo.rewards.pixel;

import java.util.List;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;

/**
 * Colourfulness of Hasler and Suesstrunk (2003), "Measuring colourfulness in natural images".
 *
 * <p>On 0..255 channel values: {@code rg = R - G}, {@code yb = (R + G) / 2 - B}, and
 * {@code M = sqrt(sd(rg)^2 + sd(yb)^2) + 0.3 * sqrt(mean(rg)^2 + mean(yb)^2)} with population standard
 * deviations over all pixels. Their perceptual anchors: 0 not colourful, ~15 slightly, ~33 moderately,
 * ~45 averagely, ~59 quite, ~82 highly, ~109 extremely colourful. Synthetic images go further: half
 * pure red, half pure blue gives about 273.
 *
 * <p>{@link #raw()} returns {@code M}; {@link #normalized()} returns {@code M / 100} (the scaling of
 * reference notes {@code rewards.md} section 8), so "extremely colourful" is about 1. Grey images of any
 * brightness score 0. The condition is ignored.
 *
 * <pre>{@code
 * RewardResult r = ColorfulnessReward.normalized().score(images, conditions);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class ColorfulnessReward implements RewardFunction {

  /** The metric name of this reward. */
  public static final String NAME = "colorfulness";

  private final double divisor;

  private ColorfulnessReward(double divisor) {
    this.divisor = divisor;
  }

  /** {@code M} on the Hasler-Suesstrunk scale (0 for grey; natural images below ~120). */
  public static ColorfulnessReward raw() {
    return new ColorfulnessReward(1);
  }

  /** {@code M / 100}. */
  public static ColorfulnessReward normalized() {
    return new ColorfulnessReward(100);
  }

  /** What {@code M} is divided by: 1 (raw) or 100 (normalized). */
  public double divisor() {
    return divisor;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
    PixelRewards.check(images, conditions, NAME, 1);
    double[] s = new double[images.count()];
    for (int i = 0; i < s.length; i++) {
      s[i] = colorfulness(PixelRewards.planes255(images, i)) / divisor;
    }
    return RewardResult.named(NAME, s);
  }

  /** {@code M} of 0..255 RGB planes. */
  static double colorfulness(double[][] rgb) {
    int n = rgb[0].length;
    double sumRg = 0;
    double sumYb = 0;
    for (int k = 0; k < n; k++) {
      sumRg += rgb[0][k] - rgb[1][k];
      sumYb += 0.5 * (rgb[0][k] + rgb[1][k]) - rgb[2][k];
    }
    double meanRg = sumRg / n;
    double meanYb = sumYb / n;
    // two-pass variance: exact zero for constant planes
    double varRg = 0;
    double varYb = 0;
    for (int k = 0; k < n; k++) {
      double drg = rgb[0][k] - rgb[1][k] - meanRg;
      double dyb = 0.5 * (rgb[0][k] + rgb[1][k]) - rgb[2][k] - meanYb;
      varRg += drg * drg;
      varYb += dyb * dyb;
    }
    varRg /= n;
    varYb /= n;
    return Math.sqrt(varRg + varYb) + 0.3 * Math.sqrt(meanRg * meanRg + meanYb * meanYb);
  }
}
