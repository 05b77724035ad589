package io.github.argrpo.core.eval;

import java.util.Locale;

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
 * @param higherIsBetter whether larger values of {@code select} are better ({@code mode: max})
 * @param chunk held-out conditions sampled per pass, {@code 0} = all in one pass
 */
public record EvalConfig(int every, int samplesPerCondition, long seed, String select, boolean higherIsBetter, int chunk) {

  public EvalConfig {
    if (every < 0) {
      throw new IllegalArgumentException("eval.every must be >= 0 (0 = off), got " + every);
    }
    if (samplesPerCondition < 1) {
      throw new IllegalArgumentException("eval.samples_per_condition must be >= 1, got " + samplesPerCondition);
    }
    if (chunk < 0) {
      throw new IllegalArgumentException("eval.chunk must be >= 0 (0 = all at once), got " + chunk);
    }
    select = select == null ? "" : select.trim();
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

  /** {@code min} or {@code max}, as the YAML writes it. */
  public String mode() {
    return higherIsBetter ? "max" : "min";
  }

  /** Parses {@code min} / {@code max}. */
  public static boolean parseMode(String mode) {
    String m = mode == null ? "" : mode.trim().toLowerCase(Locale.ROOT);
    if (m.equals("max")) {
      return true;
    }
    if (m.equals("min")) {
      return false;
    }
    throw new IllegalArgumentException("eval.mode must be min or max, got '" + mode + "'");
  }

  /** This config with another schedule. */
  public EvalConfig withEvery(int e) {
    return new EvalConfig(e, samplesPerCondition, seed, select, higherIsBetter, chunk);
  }

  /** This config selecting the best checkpoint by {@code key}. */
  public EvalConfig selecting(String key, boolean higher) {
    return new EvalConfig(every, samplesPerCondition, seed, key, higher, chunk);
  }
}
