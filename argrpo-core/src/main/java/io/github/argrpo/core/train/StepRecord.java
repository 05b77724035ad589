package io.github.argrpo.core.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of one training step, as written to {@code metrics.jsonl}: {@code step}, the reward
 * ({@code reward_mean}, {@code reward_std}, {@code reward/<component>}), the optimisation statistics
 * ({@code loss}, {@code kl}, {@code clip_fraction}, {@code ratio_mean}, {@code entropy},
 * {@code grad_norm}, {@code advantage_std}, {@code zero_std_fraction}, ...) and wall-clock seconds
 * ({@code seconds_sampling}, {@code seconds_scoring}, {@code seconds_optimizing}).
 *
 * @param step the step number (1-based)
 * @param metrics name to value, in a stable order; NaN for "not available"
 */
public record StepRecord(int step, Map<String, Double> metrics) {

  public StepRecord {
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  /** A metric, NaN if absent. */
  public double get(String name) {
    return metrics.getOrDefault(name, Double.NaN);
  }
}
