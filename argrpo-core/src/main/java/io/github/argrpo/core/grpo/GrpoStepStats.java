package io.github.argrpo.core.grpo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Statistics of one GRPO optimisation phase (all passes and micro-batches over one generated batch).
 * Token-level values are means over all tokens seen in the phase; metric names follow TRL where it has one.
 * Build with {@link #builder()}, which names every value.
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

  /** A builder with every value unset: NaN, and 0 for the counts. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these statistics (to replace some by global ones). */
  public Builder toBuilder() {
    return new Builder().loss(loss).policyLoss(policyLoss).klMean(klMean).clipFractions(clipFractionLow, clipFractionHigh)
        .ratios(ratioMean, ratioMin, ratioMax).advantages(advantageMean, advantageStd).rewards(rewardMean, rewardStd)
        .zeroStdFraction(zeroStdFraction).entropy(entropy).gradNorm(gradNorm).optimizerSteps(optimizerSteps).tokens(tokens);
  }

  /** Names the values of a {@link GrpoStepStats} one by one. */
  public static final class Builder {
    private double loss = Double.NaN;
    private double policyLoss = Double.NaN;
    private double klMean = Double.NaN;
    private double clipFractionLow = Double.NaN;
    private double clipFractionHigh = Double.NaN;
    private double ratioMean = Double.NaN;
    private double ratioMin = Double.NaN;
    private double ratioMax = Double.NaN;
    private double advantageMean = Double.NaN;
    private double advantageStd = Double.NaN;
    private double rewardMean = Double.NaN;
    private double rewardStd = Double.NaN;
    private double zeroStdFraction = Double.NaN;
    private double entropy = Double.NaN;
    private double gradNorm = Double.NaN;
    private int optimizerSteps;
    private long tokens;

    private Builder() {}

    public Builder loss(double v) { loss = v; return this; }
    public Builder policyLoss(double v) { policyLoss = v; return this; }
    public Builder klMean(double v) { klMean = v; return this; }
    /** The fractions of tokens clipped at {@code 1 - eps_low} and at {@code 1 + eps_high}. */
    public Builder clipFractions(double low, double high) { clipFractionLow = low; clipFractionHigh = high; return this; }
    /** Mean, smallest and largest importance ratio. */
    public Builder ratios(double mean, double min, double max) { ratioMean = mean; ratioMin = min; ratioMax = max; return this; }
    /** Mean and population std of the advantages. */
    public Builder advantages(double mean, double std) { advantageMean = mean; advantageStd = std; return this; }
    /** Mean and unbiased std of the rewards. */
    public Builder rewards(double mean, double std) { rewardMean = mean; rewardStd = std; return this; }
    public Builder zeroStdFraction(double v) { zeroStdFraction = v; return this; }
    public Builder entropy(double v) { entropy = v; return this; }
    public Builder gradNorm(double v) { gradNorm = v; return this; }
    public Builder optimizerSteps(int v) { optimizerSteps = v; return this; }
    public Builder tokens(long v) { tokens = v; return this; }

    public GrpoStepStats build() {
      return new GrpoStepStats(loss, policyLoss, klMean, clipFractionLow, clipFractionHigh, ratioMean, ratioMin, ratioMax,
          advantageMean, advantageStd, rewardMean, rewardStd, zeroStdFraction, entropy, gradNorm, optimizerSteps, tokens);
    }
  }
}
