package io.github.argrpo.core.eval;

import static com.google.common.base.Preconditions.checkState;

import java.nio.file.Path;
import java.util.Map;

import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.tokenizer.Tokenizer;

/**
 * The trainer's use of a {@link HeldOutEvaluator}: evaluates on schedule, and when the selected metric
 * improves asks for a checkpoint of that step and points the run's {@code best} folder at it. This is
 * the paper's manual choice of the step-100 (c2i) and step-300 (t2i) checkpoints (section 4.3, the
 * reward keeps rising while the metrics fall) made during training.
 *
 * <p>Call order per step (main rank): {@link #evaluate}, then, after the checkpoint the trainer writes
 * when {@link #wantsCheckpoint} says so, {@link #checkpointWritten}.
 */
public final class HeldOutGuard {

  private final HeldOutEvaluator evaluator;
  private final BestCheckpoint best;
  private int pendingStep = -1;
  private double pendingValue = Double.NaN;

  /** @param evaluator what to evaluate; @param runRoot the run folder (holds {@code best/}) */
  public HeldOutGuard(HeldOutEvaluator evaluator, Path runRoot) {
    this.evaluator = evaluator;
    EvalConfig c = evaluator.config();
    this.best = c.select().isEmpty() ? null : new BestCheckpoint(runRoot, c.select(), c.higherIsBetter());
  }

  /** The evaluator. */
  public HeldOutEvaluator evaluator() {
    return evaluator;
  }

  /** The best-checkpoint pointer, or null when no metric is selected. */
  public BestCheckpoint best() {
    return best;
  }

  /**
   * Evaluates when {@code step} is due, else returns an empty map.
   *
   * @return the {@code eval/<key>} values to add to the step's metrics
   * @throws IllegalStateException if the selected key is not among the computed ones (naming those)
   */
  public Map<String, Double> evaluate(int step, Policy policy, Tokenizer tokenizer, SamplingConfig sampling) {
    pendingStep = -1;
    if (!evaluator.config().dueAt(step)) {
      return Map.of();
    }
    Map<String, Double> m = evaluator.evaluate(policy, tokenizer, sampling);
    if (best != null) {
      String key = "eval/" + evaluator.config().select();
      Double v = m.get(key);
      checkState(v != null,
          "eval.select is '%s' but the held-out metrics computed %s; select one of them without the eval/ prefix",
          evaluator.config().select(), m.keySet());
      if (best.improves(v)) {
        pendingStep = step;
        pendingValue = v;
      }
    }
    return m;
  }

  /** Whether the evaluation of {@code step} found a new best, which needs a checkpoint of that step. */
  public boolean wantsCheckpoint(int step) {
    return pendingStep == step;
  }

  /** Points {@code best} at the checkpoint just written for {@code step}, if that step was a new best. */
  public void checkpointWritten(int step, Path checkpointFolder) {
    if (pendingStep == step && best != null) {
      best.offer(step, pendingValue, checkpointFolder);
      pendingStep = -1;
    }
  }
}
