package io.github.argrpo.core.eval;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * When and how the trainer evaluates on the held-out conditions (the trainer config's {@code eval:}
 * block). Immutable; {@link #off()} is the default of every run.
 *
 * <pre>
 * eval:
 *   every: 20              # steps between evaluations, 0 = never
 *   samples_per_condition: 4
 *   seed: 4321             # fixed: every evaluation draws the same noise, so values compare over steps
 *   select: fid            # the metric key that picks the best checkpoint ("" = no best pointer)
 *   mode: min              # min for FID-like metrics, max for scores
 * </pre>
 *
 * @param every steps between evaluations; {@code 0} disables evaluation
 * @param samplesPerCondition images per held-out condition, {@code >= 1}
 * @param seed seed of the held-out sampling, the same at every evaluation
 * @param select the computed key (without the {@code eval/} prefix) whose best value names the
 *     {@code best} checkpoint; empty for none
 * @param mode whether larger ({@code max}) or smaller ({@code min}) values of {@code select} are better
 * @param chunk held-out conditions sampled per pass, {@code 0} = all in one pass
 */
public record EvalConfig(
    @JsonProperty("every") @JsonPropertyDescription("steps between evaluations, 0 = never") int every,
    @JsonProperty("samples_per_condition") @JsonPropertyDescription("images per held-out condition") int samplesPerCondition,
    @JsonProperty("seed") @JsonPropertyDescription("seed of the held-out sampling: the same noise at every evaluation, so "
        + "values compare over steps")
    long seed,
    @JsonProperty("select") @JsonPropertyDescription("the metric key (without eval/) whose best value names the best "
        + "checkpoint, runs/x/best; empty = none")
    String select,
    @JsonProperty("mode") @JsonPropertyDescription("max for scores, min for distances such as fid") Mode mode,
    @JsonProperty("chunk") @JsonPropertyDescription("held-out conditions sampled per pass, 0 = all in one pass") int chunk) {

  /** Which way the selected metric improves. */
  public enum Mode {
    /** Smaller is better (distances: FID). */
    MIN,
    /** Larger is better (scores). */
    MAX
  }

  public EvalConfig {
    checkArgument(every >= 0, "eval.every must be >= 0 (0 = off), got %s", every);
    checkArgument(samplesPerCondition >= 1, "eval.samples_per_condition must be >= 1, got %s", samplesPerCondition);
    checkArgument(chunk >= 0, "eval.chunk must be >= 0 (0 = all at once), got %s", chunk);
    checkArgument(mode != null, "eval.mode must be min or max");
    select = select == null ? "" : select.trim();
  }

  /** The config with {@code higherIsBetter} as {@code mode: max}. */
  public EvalConfig(int every, int samplesPerCondition, long seed, String select, boolean higherIsBetter, int chunk) {
    this(every, samplesPerCondition, seed, select, higherIsBetter ? Mode.MAX : Mode.MIN, chunk);
  }

  /** Whether larger values of {@code select} are better ({@code mode: max}). */
  public boolean higherIsBetter() {
    return mode == Mode.MAX;
  }

  /** No evaluation: the default. */
  public static EvalConfig off() {
    return new EvalConfig(0, 4, 4321L, "", false, 0);
  }

  /** Whether evaluation runs at all. */
  public boolean enabled() {
    return every > 0;
  }

  /** Whether step {@code step} (1-based) is an evaluation step. */
  public boolean dueAt(int step) {
    return every > 0 && step % every == 0;
  }

  /** This config with another schedule. */
  public EvalConfig withEvery(int e) {
    return new EvalConfig(e, samplesPerCondition, seed, select, mode, chunk);
  }

  /** This config selecting the best checkpoint by {@code key}. */
  public EvalConfig selecting(String key, boolean higher) {
    return new EvalConfig(every, samplesPerCondition, seed, key, higher, chunk);
  }
}
