package io.github.argrpo.examples.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;


import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.eval.EvalConfig;
import io.github.argrpo.rewards.stack.RewardSpec;

/**
 * The {@code eval} section of a run config: the held-out evaluation that guards against reward hacking
 * (AR-GRPO section 4.3), its schedule, the held-out conditions and the metrics.
 *
 * <pre>
 * eval:
 *   every: 20                 # steps; 0 or no section = off
 *   samples_per_condition: 4
 *   seed: 4321
 *   held_out_classes: 50      # c2i: that many classes, spread evenly over the range, leave the training draw
 *   # held_out: [3, 17, 250]  # ... or the classes themselves
 *   # held_out_prompts: 20    # t2i: the last 20 prompts of the prompt file
 *   metrics:                  # rewards (any reward-stack entry) used as held-out scores: their mean is logged
 *     - {name: aesthetic, options: {weights: models/aesthetic.safetensors}}
 *   select: aesthetic         # the key naming the best checkpoint (runs/x/best); empty = none
 *   mode: max                 # max for scores, min for distances such as fid
 * </pre>
 *
 * @param config schedule and selection
 * @param heldOutClasses the held-out classes (c2i), empty for t2i or when none are held out
 * @param heldOutPrompts t2i: how many prompts, the last of the prompt file, leave the training draw
 * @param metrics the metric rewards, as reward-stack specs (each built on its own)
 */
public record EvalSpec(EvalConfig config, List<Integer> heldOutClasses, int heldOutPrompts, List<RewardSpec> metrics) {

  public EvalSpec {
    heldOutClasses = List.copyOf(heldOutClasses);
    metrics = List.copyOf(metrics);
  }

  /** No evaluation. */
  public static EvalSpec off() {
    return new EvalSpec(EvalConfig.off(), List.of(), 0, List.of());
  }

  /** Whether the run evaluates. */
  public boolean enabled() {
    return config.enabled();
  }

  /** Checks the section; {@code numClasses} is the model's class count (0 for t2i). */
  public static EvalSpec of(EvalSection e, int numClasses) {
    EvalConfig c = e.config();
    List<Integer> held = new ArrayList<>();
    for (int k : e.heldOut()) {
      if (k < 0 || k >= numClasses) {
        throw new ConfigException("eval.held_out: class " + k + " is outside the model's classes [0, " + numClasses + ")");
      }
      held.add(k);
    }
    int count = e.heldOutClasses();
    if (count > 0) {
      if (!held.isEmpty()) {
        throw new ConfigException("eval: give held_out (the classes) or held_out_classes (how many), not both");
      }
      held.addAll(spread(count, numClasses));
    }
    int prompts = e.heldOutPrompts();
    if (numClasses == 0 && !held.isEmpty()) {
      throw new ConfigException("eval.held_out / held_out_classes are for class-to-image models; a t2i run holds out "
          + "prompts: eval.held_out_prompts (the last N prompts of the prompt file)");
    }
    if (numClasses > 0 && prompts > 0) {
      throw new ConfigException("eval.held_out_prompts is for text-to-image models; a c2i run holds out classes");
    }
    if (prompts < 0) {
      throw new ConfigException("eval.held_out_prompts must be >= 0, got " + prompts);
    }
    if (c.enabled() && numClasses == 0 && prompts == 0) {
      throw new ConfigException("eval: a t2i run needs held-out prompts the training draw does not use: set "
          + "eval.held_out_prompts (the last N prompts of the prompt file)");
    }
    if (c.enabled() && numClasses > 0 && held.isEmpty()) {
      throw new ConfigException("eval: a c2i run needs held-out classes the training draw does not use: set "
          + "eval.held_out_classes (a count) or eval.held_out (a list)");
    }
    if (!held.isEmpty() && new TreeSet<>(held).size() >= numClasses) {
      throw new ConfigException("eval: holding out all " + numClasses + " classes leaves none to train on");
    }
    List<RewardSpec> metrics = e.metrics() == null ? List.of() : e.metrics();
    if (c.enabled() && metrics.isEmpty()) {
      throw new ConfigException("eval: every > 0 needs at least one held-out metric in eval.metrics");
    }
    return new EvalSpec(c, held, prompts, metrics);
  }

  /**
   * {@code count} classes spread evenly over {@code [0, numClasses)}: {@code floor(i * numClasses / count)},
   * so that held-out classes sample the whole range (ImageNet's class order groups similar classes).
   */
  static List<Integer> spread(int count, int numClasses) {
    if (count >= numClasses) {
      throw new ConfigException("eval.held_out_classes (" + count + ") must be below the number of classes (" + numClasses + ")");
    }
    Set<Integer> out = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      out.add((int) ((long) i * numClasses / count));
    }
    return new ArrayList<>(out);
  }
}
