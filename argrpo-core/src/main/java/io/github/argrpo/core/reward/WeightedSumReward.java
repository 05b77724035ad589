package io.github.argrpo.core.reward;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;

/**
 * {@code R = sum_k w_k * r_k} over several rewards (the paper's lambda weights; TRL's
 * {@code reward_weights} with {@code nansum}): a part that is NaN for a sample is skipped for that
 * sample, and a sample for which every part is NaN gets NaN.
 *
 * <p>Components: each part's own components (so the trainer logs {@code reward/clip},
 * {@code reward/hps}, ...), unweighted, as the parts report them. Names must be unique.
 */
public final class WeightedSumReward implements RewardFunction {

  /** One part of the sum. */
  public record Part(RewardFunction reward, double weight) {
    public Part {
      checkArgument(Double.isFinite(weight), "weight of '%s' must be finite, got %s", reward.name(), weight);
    }
  }

  private final List<Part> parts;
  private final String name;

  /** @param parts at least one; closed with this reward */
  public WeightedSumReward(List<Part> parts, String name) {
    checkArgument(!parts.isEmpty(), "a weighted sum needs at least one reward");
    List<String> seen = new ArrayList<>();
    for (Part p : parts) {
      checkArgument(!seen.contains(p.reward().name()),
          "reward name '%s' appears twice in the sum; give each part its own name (metrics are keyed by it)",
          p.reward().name());
      seen.add(p.reward().name());
    }
    this.parts = List.copyOf(parts);
    this.name = Rewards.checkName(name);
  }

  /** The parts, in order. */
  public List<Part> parts() {
    return parts;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
    RewardFunction.checkCounts(images, conditions, name);
    int n = images.count();
    double[] total = new double[n];
    boolean[] any = new boolean[n];
    Map<String, double[]> comps = new LinkedHashMap<>();
    for (Part p : parts) {
      RewardResult r = p.reward().score(images, conditions);
      checkState(r.size() == n, "reward '%s' returned %s scores for %s images", p.reward().name(), r.size(), n);
      double[] s = r.scores();
      for (int i = 0; i < n; i++) {
        if (!Double.isNaN(s[i])) {
          total[i] += p.weight() * s[i];
          any[i] = true;
        }
      }
      if (r.components().isEmpty()) {
        comps.put(p.reward().name(), s);
      } else {
        comps.putAll(r.components());
      }
    }
    for (int i = 0; i < n; i++) {
      if (!any[i]) {
        total[i] = Double.NaN;
      }
    }
    return new RewardResult(total, comps);
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (Part p : parts) {
      try {
        p.reward().close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
