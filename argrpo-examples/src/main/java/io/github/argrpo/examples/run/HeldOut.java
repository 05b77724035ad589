package io.github.argrpo.examples.run;

import java.util.ArrayList;
import java.util.List;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.eval.HeldOutClasses;
import io.github.argrpo.core.eval.HeldOutEvaluator;
import io.github.argrpo.core.eval.ImageMetric;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.train.ConditionSource;
import io.github.argrpo.rewards.stack.RewardSpec;
import io.github.argrpo.rewards.stack.RewardStack;

/**
 * A run's split into training and held-out conditions, and the evaluator over the held-out ones (from
 * the config's {@code eval} section): c2i holds out classes, t2i the last prompts of the prompt file. Owns
 * the metric rewards it built; close it after the trainer.
 *
 * @param trainingSource what the training draws from (every condition when evaluation is off)
 * @param evaluator the held-out evaluator, null when evaluation is off
 * @param metricRewards the rewards built for the metrics (closed by {@link #close()})
 */
public record HeldOut(ConditionSource trainingSource, HeldOutEvaluator evaluator, List<RewardFunction> metricRewards)
    implements AutoCloseable {

  /** Builds the split and the metrics of {@code c.eval()} for the loaded models. */
  public static HeldOut of(RunConfig c, LoadedModels m) {
    EvalSpec e = c.eval();
    if (!e.enabled()) {
      return new HeldOut(m.conditionSource(), null, List.of());
    }
    List<Condition> heldOut;
    ConditionSource training;
    if (m.isText()) {
      List<String> prompts = m.prompts();
      int k = e.heldOutPrompts();
      if (k >= prompts.size()) {
        throw new ConfigException("eval.held_out_prompts (" + k + ") must be below the number of prompts (" + prompts.size() + ")");
      }
      training = new PromptConditions(prompts.subList(0, prompts.size() - k), m.textEncoder());
      heldOut = m.textConditions(prompts.subList(prompts.size() - k, prompts.size()));
    } else {
      HeldOutClasses split = new HeldOutClasses(c.conditions().classes(), e.heldOutClasses());
      training = split.trainingSource();
      heldOut = split.heldOutConditions();
    }
    List<RewardFunction> built = new ArrayList<>();
    List<ImageMetric> metrics = new ArrayList<>();
    try {
      for (RewardSpec s : e.metrics()) {
        RewardFunction r = RewardStack.fromSpecs(List.of(s));
        built.add(r);
        metrics.add(ImageMetric.meanOf(r));
      }
    } catch (RuntimeException ex) {
      built.forEach(RewardFunction::close);
      throw new ConfigException("eval.metrics: " + PolicyWeights.oneLine(String.valueOf(ex.getMessage())), ex);
    }
    return new HeldOut(training, new HeldOutEvaluator(e.config(), heldOut, metrics), built);
  }

  @Override
  public void close() {
    metricRewards.forEach(RewardFunction::close);
  }
}
