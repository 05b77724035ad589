package io.github.argrpo.core.reward;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    if (!Double.isFinite(factor)) {
      throw new IllegalArgumentException("scale factor must be finite, got " + factor);
    }
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
    RewardResult raw = inner.score(images, conditions);
    double[] s = raw.scores();
    for (int i = 0; i < s.length; i++) {
      s[i] *= factor;
    }
    Map<String, double[]> c = new LinkedHashMap<>();
    // keep the inner reward's diagnostics (e.g. a judge's unreadable-reply flags), not its raw total
    raw.components().forEach((k, v) -> {
      if (!k.equals(inner.name())) {
        c.put(k, v);
      }
    });
    c.put(name, s);
    return new RewardResult(s, c);
  }

  @Override
  public void close() {
    inner.close();
  }
}
