package io.github.argrpo.core.reward;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.List;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;

/**
 * A step function of another reward: AR-GRPO's {@code discrete_reward_map(v, thresholds, values)}.
 *
 * <p>With thresholds {@code t_0 < ... < t_{k-1}} and values {@code v_0 ... v_{k-1}}: a score below
 * {@code t_0} maps to {@code v_0}; a score in {@code [t_{i-1}, t_i)} maps to {@code v_i}; a score at or
 * above {@code t_{k-1}} maps to {@code aboveLast}. The paper's map is thresholds {@code [0, 0.3, 0.6, 1]},
 * values {@code [-1, 0.5, 1, 1.5]}: below 0 gives -1, {@code [0, 0.3)} 0.5, {@code [0.3, 0.6)} 1,
 * {@code [0.6, 1)} 1.5. The reference raises IndexError at 1 and above (a latent bug: cosine similarity
 * can reach 1 only for identical embeddings); here that case has a defined value, 1.5 by default (the
 * top step continues). NaN stays NaN.
 */
public final class QuantizedReward implements RewardFunction {

  private final RewardFunction inner;
  private final double[] thresholds;
  private final double[] values;
  private final double aboveLast;
  private final String name;

  /**
   * @param inner the reward to quantize (typically the unscaled cosine of CLIP or HPS); closed with this one
   * @param thresholds strictly increasing, at least one
   * @param values one per threshold
   * @param aboveLast the value for scores {@code >= thresholds[last]}
   * @param name metric name
   */
  public QuantizedReward(RewardFunction inner, double[] thresholds, double[] values, double aboveLast, String name) {
    checkArgument(thresholds.length != 0 && thresholds.length == values.length,
        "quantization needs as many values as thresholds (>= 1), got %s thresholds and %s values", thresholds.length,
        values.length);
    for (int i = 1; i < thresholds.length; i++) {
      checkArgument(thresholds[i] > thresholds[i - 1], "quantization thresholds must increase strictly: %s",
          Arrays.toString(thresholds));
    }
    this.inner = inner;
    this.thresholds = thresholds.clone();
    this.values = values.clone();
    this.aboveLast = aboveLast;
    this.name = Rewards.checkName(name);
  }

  /** The AR-GRPO map {@code [0, 0.3, 0.6, 1] -> [-1, 0.5, 1, 1.5]}, 1.5 at and above 1. */
  public static QuantizedReward arGrpo(RewardFunction inner, String name) {
    return new QuantizedReward(inner, new double[] {0, 0.3, 0.6, 1}, new double[] {-1, 0.5, 1, 1.5}, 1.5, name);
  }

  /** Maps one raw score. */
  public double map(double v) {
    if (Double.isNaN(v)) {
      return Double.NaN;
    }
    for (int i = 0; i < thresholds.length; i++) {
      if (v < thresholds[i]) {
        return values[i];
      }
    }
    return aboveLast;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
    return Rewards.mapScores(inner, images, conditions, name, this::map);
  }

  @Override
  public void close() {
    inner.close();
  }
}
