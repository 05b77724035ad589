package io.github.argrpo.rewards.pixel;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;

/**
 * Shared plumbing of the per-image Java rewards: argument checks and the conversion of a batch image
 * to 0..255 channel planes. Package-private: the rewards themselves are the API.
 */
final class PixelRewards {

  private PixelRewards() {}

  /** Checks the batch against the conditions and a minimum size; the message names the reward. */
  static void check(ImageBatch images, List<? extends Condition> conditions, String name, int minSide) {
    checkArgument(images != null, "%s: images must not be null", name);
    checkArgument(conditions != null, "%s: conditions must not be null (pass one per image)", name);
    RewardFunction.checkCounts(images, conditions, name);
    checkArgument(!(images.height() < minSide) && !(images.width() < minSide),
        "%s: images must be at least %sx%s pixels, got %sx%s", name, minSide, minSide, images.width(), images.height());
  }

  /**
   * Image {@code i} as three planes of {@code 255 * v} (float in [0, 255], not rounded: the rewards are
   * defined on the continuous values so that hand-worked examples give exact numbers).
   */
  static double[][] planes255(ImageBatch images, int i) {
    float[] p = images.pixels(i);
    int plane = images.height() * images.width();
    double[][] out = new double[3][plane];
    for (int c = 0; c < 3; c++) {
      for (int k = 0; k < plane; k++) {
        out[c][k] = p[c * plane + k] * 255.0;
      }
    }
    return out;
  }
}
