package io.github.argrpo.examples.demo;

import java.util.Locale;

/**
 * What the demo measured: the mean reward of the pretrained model and of the GRPO-tuned model on the
 * same classes and seeds, and the state of the last GRPO step.
 *
 * @param baselineReward mean reward before GRPO (evaluation set)
 * @param finalReward mean reward after GRPO (same evaluation set and seeds)
 * @param finalKl mean k3 KL to the reference at the last step
 * @param baselineEntropy mean per-token policy entropy at the run's first GRPO step (step 1 of
 *     {@code metrics.jsonl}, also when this invocation resumed a later step)
 * @param finalEntropy mean per-token policy entropy at the last GRPO step
 * @param seconds wall time of this invocation
 * @param pretrainStepsRun maximum-likelihood steps this invocation ran: 0 when it reused the run
 *     folder's pretrained policy
 */
public record DemoSummary(double baselineReward, double finalReward, double finalKl, double baselineEntropy,
    double finalEntropy, double seconds, int pretrainStepsRun) {

  /** Relative improvement of the mean reward, {@code final / baseline - 1}. */
  public double improvement() {
    return finalReward / baselineReward - 1;
  }

  /** The summary as printed by {@code argrpo demo}. */
  public String describe() {
    return String.format(Locale.ROOT,
        "baseline reward %.3f -> final reward %.3f (%+.0f%%), KL %.4f, entropy %.3f -> %.3f, %.0f s",
        baselineReward, finalReward, 100 * improvement(), finalKl, baselineEntropy, finalEntropy, seconds);
  }
}
