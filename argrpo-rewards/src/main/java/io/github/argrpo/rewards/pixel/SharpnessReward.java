package io.github.argrpo.rewards.pixel;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;

/**
 * Sharpness as the variance of the Laplacian of the luminance (the classic focus measure, as
 * {@code cv2.Laplacian(gray, CV_64F).var()}).
 *
 * <p>Definition: {@code Y = 0.299 R + 0.587 G + 0.114 B} on the 0..255 scale; the 4-neighbour
 * Laplacian {@code [[0,1,0],[1,-4,1],[0,1,0]]} is evaluated on the <em>interior</em> pixels only
 * (no border padding, so an image edge never looks like detail); the raw score is the population
 * variance of those {@code (H-2)(W-2)} responses. Images must be at least 3x3.
 *
 * <p>Scale: raw values are 0 for any flat or linearly shaded image and reach {@code 1020^2 = 1.04e6} for a
 * one-pixel black/white checkerboard (the Laplacian is {@code +-4*255} everywhere); natural 256-pixel images sit in the
 * hundreds to low thousands. Since the range depends on content and resolution, {@link #tanh(double)}
 * maps it to {@code tanh(v / tau)} in [0, 1). The condition is ignored.
 *
 * <pre>{@code
 * RewardFunction sharp = SharpnessReward.tanh(1000);   // ~0.76 at v = 1000
 * RewardResult r = sharp.score(images, conditions);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class SharpnessReward implements RewardFunction {

  /** The metric name of this reward. */
  public static final String NAME = "sharpness";

  private final double tau;

  private SharpnessReward(double tau) {
    this.tau = tau;
  }

  /** The raw variance of the Laplacian (0..~1.04e6). */
  public static SharpnessReward raw() {
    return new SharpnessReward(0);
  }

  /**
   * {@code tanh(variance / tau)}, in [0, 1).
   *
   * @param tau the variance that maps to {@code tanh(1) = 0.76}; must be positive and finite
   */
  public static SharpnessReward tanh(double tau) {
    checkArgument(tau > 0 && !Double.isInfinite(tau), "sharpness tau must be positive and finite, got %s", tau);
    return new SharpnessReward(tau);
  }

  /** The tanh temperature, or 0 for raw variances. */
  public double tau() {
    return tau;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
    PixelRewards.check(images, conditions, NAME, 3);
    double[] s = new double[images.count()];
    for (int i = 0; i < s.length; i++) {
      double v = laplacianVariance(PixelRewards.planes255(images, i), images.height(), images.width());
      s[i] = tau > 0 ? Math.tanh(v / tau) : v;
    }
    return RewardResult.named(NAME, s);
  }

  /** Variance of the interior Laplacian of the luminance of 0..255 RGB planes ({@code h, w >= 3}). */
  static double laplacianVariance(double[][] rgb, int h, int w) {
    double[] y = new double[h * w];
    for (int k = 0; k < y.length; k++) {
      // ITU-R BT.601 luma, the weights OpenCV's and PIL's grayscale conversions use
      y[k] = 0.299 * rgb[0][k] + 0.587 * rgb[1][k] + 0.114 * rgb[2][k];
    }
    // Welford: one pass, stable for large flat regions
    long n = 0;
    double mean = 0;
    double m2 = 0;
    for (int r = 1; r < h - 1; r++) {
      for (int c = 1; c < w - 1; c++) {
        int k = r * w + c;
        double lap = y[k - w] + y[k + w] + y[k - 1] + y[k + 1] - 4 * y[k];
        n++;
        double d = lap - mean;
        mean += d / n;
        m2 += d * (lap - mean);
      }
    }
    return m2 / n;
  }
}
