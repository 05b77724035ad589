package io.github.argrpo.core.eval;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.tokenizer.Tokenizer;
import io.github.argrpo.core.train.Seeds;

/**
 * Samples the policy on a fixed held-out condition set with fixed seeds and feeds the images to
 * metrics that are not the training reward: the guard against the reward hacking of AR-GRPO section
 * 4.3. Every call draws the same noise (the seed does not depend on the step), so a change of a value
 * between steps is a change of the policy, not of the draw.
 *
 * <pre>{@code
 * HeldOutEvaluator ev = new HeldOutEvaluator(EvalConfig.off().withEvery(20), heldOut, List.of(fid, pick));
 * Map<String, Double> m = ev.evaluate(policy, vq, SamplingConfig.arGrpo());   // {"eval/fid": 12.3, ...}
 * }</pre>
 *
 * <p>The evaluator does not own the metrics, the policy or the tokenizer.
 */
public final class HeldOutEvaluator {

  private static final Logger LOG = LoggerFactory.getLogger(HeldOutEvaluator.class);

  private final EvalConfig config;
  private final List<Condition> conditions;
  private final List<ImageMetric> metrics;

  /**
   * @param config schedule, samples per condition, seed
   * @param conditions the held-out conditions (classes or prompts the training draw does not use)
   * @param metrics the metrics, each computed over all held-out images
   */
  public HeldOutEvaluator(EvalConfig config, List<? extends Condition> conditions, List<? extends ImageMetric> metrics) {
    checkArgument(config != null, "config must not be null");
    checkArgument(conditions != null && !conditions.isEmpty(),
        "the held-out condition set is empty; give at least one class or prompt");
    checkArgument(metrics != null && !metrics.isEmpty(), "no held-out metric given; an evaluation needs at least one");
    this.config = config;
    this.conditions = List.copyOf(conditions);
    this.metrics = List.copyOf(metrics);
  }

  /** The schedule and selection. */
  public EvalConfig config() {
    return config;
  }

  /** The held-out conditions. */
  public List<Condition> conditions() {
    return conditions;
  }

  /**
   * Runs one evaluation: {@code samplesPerCondition} images per held-out condition with
   * {@code sampling} (its seed replaced by the evaluation seed, per chunk), decoded and added to every
   * metric, then computed.
   *
   * @return each metric's values as {@code eval/<key>}, in metric order
   */
  public Map<String, Double> evaluate(Policy policy, Tokenizer tokenizer, SamplingConfig sampling) {
    long t0 = System.nanoTime();
    metrics.forEach(ImageMetric::reset);
    int n = conditions.size();
    int chunk = config.chunk() == 0 ? n : Math.min(config.chunk(), n);
    for (int c0 = 0, ci = 0; c0 < n; c0 += chunk, ci++) {
      List<Condition> part = new ArrayList<>(conditions.subList(c0, Math.min(c0 + chunk, n)));
      try (Rollouts r = policy.sample(part, config.samplesPerCondition(), sampling.withSeed(Seeds.derive(config.seed(), ci)));
          PointerScope scope = new PointerScope();
          ImageBatch images = tokenizer.decode(r.tokens())) {
        List<Condition> perImage = r.sampleConditions();
        for (ImageMetric m : metrics) {
          m.update(images, perImage);
        }
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (ImageMetric m : metrics) {
      m.compute().forEach((k, v) -> out.put("eval/" + k, v));
    }
    LOG.info("held-out evaluation of {} images in {} s: {}", n * config.samplesPerCondition(),
        String.format("%.1f", (System.nanoTime() - t0) / 1e9), out);
    return out;
  }
}
