package io.github.argrpo.examples.extend;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;

/**
 * A reward written in plain Java: how close an image's pixels are to one colour,
 * {@code 1 - mean_pixels(|p - target|_2) / sqrt(3)}, in {@code [0, 1]} (1 = every pixel is the target).
 * It ignores the condition. Pure Java on {@link ImageBatch#pixels(int)}; thread-safe, holds no native
 * memory.
 *
 * <pre>{@code
 * RewardFunction warm = new TargetColourReward(1.0f, 0.5f, 0.0f);
 * RewardResult r = warm.score(images, conditions);
 * }</pre>
 */
public final class TargetColourReward implements RewardFunction {

  private final float[] target;

  /** @param r @param g @param b the target colour, components in [0, 1] */
  public TargetColourReward(float r, float g, float b) {
    for (float c : new float[] {r, g, b}) {
      checkArgument(c >= 0 && c <= 1, "target colour components must be in [0, 1], got (%s, %s, %s)", r, g, b);
    }
    this.target = new float[] {r, g, b};
  }

  @Override
  public String name() {
    return "target_colour";
  }

  @Override
  public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
    RewardFunction.checkCounts(images, conditions, name());
    int plane = images.height() * images.width();
    double[] out = new double[images.count()];
    for (int i = 0; i < out.length; i++) {
      float[] px = images.pixels(i);   // CHW, [0, 1]
      double sum = 0;
      for (int k = 0; k < plane; k++) {
        double dr = px[k] - target[0];
        double dg = px[plane + k] - target[1];
        double db = px[2 * plane + k] - target[2];
        sum += Math.sqrt(dr * dr + dg * dg + db * db);
      }
      out[i] = 1 - sum / plane / Math.sqrt(3);
    }
    return RewardResult.of(out);
  }
}
