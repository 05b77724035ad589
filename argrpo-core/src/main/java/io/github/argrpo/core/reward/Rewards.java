package io.github.argrpo.core.reward;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;

/**
 * Factory methods for composing rewards as the paper does (Appendix D).
 *
 * <pre>{@code
 * RewardFunction clip = ...;                           // raw cosine
 * RewardFunction total = Rewards.weightedSum(Map.of(
 *     Rewards.scaled(clip, 5, "clip"), 1.0,
 *     Rewards.arGrpoQuantized(clip, "clip_quantize"), 1.0));
 * }</pre>
 */
public final class Rewards {

  private Rewards() {}

  /** {@code factor * reward}, reported under {@code name}. */
  public static RewardFunction scaled(RewardFunction reward, double factor, String name) {
    return new ScaledReward(reward, factor, name);
  }

  /** The AR-GRPO quantization of {@code reward} (see {@link QuantizedReward#arGrpo}). */
  public static RewardFunction arGrpoQuantized(RewardFunction reward, String name) {
    return QuantizedReward.arGrpo(reward, name);
  }

  /** A weighted sum; iteration order of {@code weights} is the order of the parts. */
  public static RewardFunction weightedSum(Map<RewardFunction, Double> weights) {
    List<WeightedSumReward.Part> parts = new ArrayList<>();
    weights.forEach((r, w) -> parts.add(new WeightedSumReward.Part(r, w)));
    return new WeightedSumReward(parts, "total");
  }

  /**
   * Scores with {@code inner} and maps every score through {@code f}; the result's components are the
   * inner reward's diagnostics (e.g. a judge's unreadable-reply flags, not its raw total) plus the mapped
   * scores under {@code name}.
   */
  static RewardResult mapScores(RewardFunction inner, ImageBatch images, List<? extends Condition> conditions, String name,
      DoubleUnaryOperator f) {
    RewardResult raw = inner.score(images, conditions);
    double[] s = raw.scores();
    for (int i = 0; i < s.length; i++) {
      s[i] = f.applyAsDouble(s[i]);
    }
    Map<String, double[]> c = new LinkedHashMap<>();
    raw.components().forEach((k, v) -> {
      if (!k.equals(inner.name())) {
        c.put(k, v);
      }
    });
    c.put(name, s);
    return new RewardResult(s, c);
  }

  /**
   * Checks a reward's name, which becomes the metric key {@code reward/<name>}: non-empty letters,
   * digits, '_', '.', '-' or '/'. Returns it, or throws {@link IllegalArgumentException} naming it.
   */
  public static String checkName(String name) {
    checkArgument(name != null && name.matches("[A-Za-z0-9_.\\-/]+"),
        "reward name must be non-empty letters, digits, '_', '.', '-' or '/', got '%s'", name);
    return name;
  }
}
