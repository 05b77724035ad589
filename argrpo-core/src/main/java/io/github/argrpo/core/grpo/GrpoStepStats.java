package io.github.argrpo.core.grpo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Statistics of one GRPO optimisation phase (all passes and micro-batches over one generated batch).
 * Token-level values are means over all tokens seen in the phase; metric names follow TRL where it has one.
 *
 * @param loss mean total loss over the optimizer steps
 * @param policyLoss mean surrogate part of the loss
 * @param klMean mean per-token k3 KL to the reference (NaN without reference)
 * @param clipFractionLow fraction of tokens clipped at {@code 1 - eps} with negative advantage
 * @param clipFractionHigh fraction of tokens clipped at {@code 1 + eps} with positive advantage
 * @param ratioMean mean importance ratio
 * @param ratioMin smallest importance ratio
 * @param ratioMax largest importance ratio
 * @param advantageMean mean advantage
 * @param advantageStd std of the advantages (population)
 * @param rewardMean mean reward
 * @param rewardStd std of the rewards (unbiased, as TRL logs)
 * @param zeroStdFraction fraction of groups whose rewards were all equal
 * @param entropy mean per-token policy entropy reported by the sampler (NaN if not reported)
 * @param gradNorm global gradient L2 norm before clipping, mean over optimizer steps
 * @param optimizerSteps AdamW steps taken
 * @param tokens tokens per pass
 */
public record GrpoStepStats(double loss, double policyLoss, double klMean, double clipFractionLow, double clipFractionHigh,
    double ratioMean, double ratioMin, double ratioMax, double advantageMean, double advantageStd, double rewardMean,
    double rewardStd, double zeroStdFraction, double entropy, double gradNorm, int optimizerSteps, long tokens) {

  /** The statistics under stable metric names (as written to {@code metrics.jsonl}). */
  public Map<String, Double> toMetrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("loss", loss);
    m.put("policy_loss", policyLoss);
    m.put("kl", klMean);
    m.put("clip_fraction", clipFractionLow + clipFractionHigh);
    m.put("clip_fraction_low", clipFractionLow);
    m.put("clip_fraction_high", clipFractionHigh);
    m.put("ratio_mean", ratioMean);
    m.put("ratio_min", ratioMin);
    m.put("ratio_max", ratioMax);
    m.put("advantage_mean", advantageMean);
    m.put("advantage_std", advantageStd);
    m.put("reward_mean", rewardMean);
    m.put("reward_std", rewardStd);
    m.put("zero_std_fraction", zeroStdFraction);
    m.put("entropy", entropy);
    m.put("grad_norm", gradNorm);
    m.put("optimizer_steps", (double) optimizerSteps);
    return m;
  }
}
