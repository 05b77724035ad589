package io.github.argrpo.core.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;

/** {@link ImageMetric#meanOf}: running sums of a reward's scores and components, NaN left out. */
final class MeanRewardMetric implements ImageMetric {

  private final RewardFunction reward;
  private final Map<String, double[]> sums = new LinkedHashMap<>();   // key -> {sum, count}

  MeanRewardMetric(RewardFunction reward) {
    checkArgument(reward != null, "reward must not be null");
    this.reward = reward;
  }

  @Override
  public String name() {
    return reward.name();
  }

  @Override
  public void update(ImageBatch images, List<? extends Condition> conditions) {
    RewardResult r = reward.score(images, conditions);
    add(name(), r.scores());
    r.components().forEach((k, v) -> add(name() + "/" + k, v));
  }

  private void add(String key, double[] values) {
    double[] s = sums.computeIfAbsent(key, k -> new double[2]);
    for (double v : values) {
      if (!Double.isNaN(v)) {
        s[0] += v;
        s[1]++;
      }
    }
  }

  @Override
  public Map<String, Double> compute() {
    checkState(!sums.isEmpty(), "%s: no images were added since the last reset", name());
    Map<String, Double> out = new LinkedHashMap<>();
    sums.forEach((k, s) -> out.put(k, s[1] == 0 ? Double.NaN : s[0] / s[1]));
    return out;
  }

  @Override
  public void reset() {
    sums.clear();
  }
}
