package io.github.argrpo.core.reward;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scores of one reward call: a total per sample, and optional named components (for example the
 * scaled CLIP and HPS parts of a weighted sum), each with one value per sample.
 *
 * <p>A {@code NaN} means "no score for this sample" (a reward that does not apply, or a judge reply
 * that could not be read under a lenient policy). A weighted sum skips NaN parts like TRL's
 * {@code nansum}; the GRPO optimizer rejects a NaN total with an error naming the sample.
 *
 * @param scores one value per sample
 * @param components named per-sample values, in insertion order; each array as long as {@code scores}
 */
public record RewardResult(double[] scores, Map<String, double[]> components) {

  public RewardResult {
    checkArgument(scores != null, "scores must not be null");
    scores = scores.clone();
    Map<String, double[]> copy = new LinkedHashMap<>();
    if (components != null) {
      for (Map.Entry<String, double[]> e : components.entrySet()) {
        checkArgument(e.getValue().length == scores.length,
            "component '%s' has %s values for %s samples", e.getKey(), e.getValue().length, scores.length);
        copy.put(e.getKey(), e.getValue().clone());
      }
    }
    components = Collections.unmodifiableMap(copy);
  }

  /** A result without components. */
  public static RewardResult of(double[] scores) {
    return new RewardResult(scores, Map.of());
  }

  /** A result whose only component is the total itself, under {@code name}. */
  public static RewardResult named(String name, double[] scores) {
    return new RewardResult(scores, Map.of(name, scores));
  }

  @Override
  public double[] scores() {
    return scores.clone();
  }

  /** Score of sample {@code i}. */
  public double score(int i) {
    return scores[i];
  }

  /** Number of samples. */
  public int size() {
    return scores.length;
  }

  /** Mean of the non-NaN scores of component {@code name}, NaN if none. */
  public double componentMean(String name) {
    double[] v = components.get(name);
    checkArgument(v != null, "no component '%s'; have %s", name, components.keySet());
    return Arrays.stream(v).filter(d -> !Double.isNaN(d)).average().orElse(Double.NaN);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RewardResult r) || !Arrays.equals(scores, r.scores) || !components.keySet().equals(r.components.keySet())) {
      return false;
    }
    for (String k : components.keySet()) {
      if (!Arrays.equals(components.get(k), r.components.get(k))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(scores) * 31 + components.keySet().hashCode();
  }

  @Override
  public String toString() {
    return "RewardResult" + Arrays.toString(scores) + " components=" + components.keySet();
  }
}
