package io.github.argrpo.core.reward;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;

/**
 * {@code factor * inner}: the AR-GRPO scalings of Appendix D (CLIP x5, HPS x5, MANIQA x2, judge x0.25).
 * The result's only component is the scaled score under this reward's name.
 */
public final class ScaledReward implements RewardFunction {

  private final RewardFunction inner;
  private final double factor;
  private final String name;

  /**
   * @param inner the reward to scale (closed with this one)
   * @param factor finite multiplier
   * @param name metric name of the scaled reward
   */
  public ScaledReward(RewardFunction inner, double factor, String name) {
    checkArgument(Double.isFinite(factor), "scale factor must be finite, got %s", factor);
    this.inner = inner;
    this.factor = factor;
    this.name = Rewards.checkName(name);
  }

  @Override
  public String name() {
    return name;
  }

  /** The multiplier. */
  public double factor() {
    return factor;
  }

  @Override
  public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
    return Rewards.mapScores(inner, images, conditions, name, v -> v * factor);
  }

  @Override
  public void close() {
    inner.close();
  }
}
