package io.github.argrpo.core.grpo;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.github.argrpo.core.policy.LogProbSource;

/**
 * Options of the GRPO optimisation phase. Immutable; build with {@link #builder()} or start from a preset.
 *
 * @param beta KL coefficient of eq. 6 (paper: 0.1; TRL default 0). {@code 0} skips the reference forward.
 * @param epsilonLow lower clip range, ratio clipped at {@code 1 - epsilonLow} (paper/TRL: 0.2)
 * @param epsilonHigh upper clip range, {@code 1 + epsilonHigh} (TRL: equal to epsilonLow; DAPO: 0.28)
 * @param delta optional upper cap of the unclipped ratio (INTELLECT-2), {@code NaN} for none (TRL: None)
 * @param iterations {@code mu}, optimisation passes over each generated batch (paper/TRL: 1). With more
 *     than 1, or more than one optimizer step per batch, old log-probs are computed once before the first
 *     update and the ratio departs from 1 (TRL does the same).
 * @param lossAggregation {@code grpo} (eq. 4), {@code bnpo} (TRL 0.19 default, the AR-GRPO code) or {@code dr_grpo}
 * @param advantages advantage normalisation (eq. 3 options)
 * @param logProbSource conditional branch (AR-GRPO code) or the CFG-guided distribution
 * @param microBatchSize sequences per forward/backward; {@code 0} = the whole optimisation batch
 * @param sequencesPerOptimizerStep sequences per AdamW step (gradients of its micro-batches are
 *     accumulated); {@code 0} = the whole generated batch, one step per pass (paper)
 * @param maxGradNorm global L2 gradient clipping threshold, {@code <= 0} or infinite = none (HF: 1.0)
 * @param learningRate AdamW learning rate (paper: 1e-5)
 * @param warmupSteps linear warmup of the learning rate over the first GRPO steps, 0 = none (paper)
 * @param adamBeta1 AdamW beta1 (paper: 0.9)
 * @param adamBeta2 AdamW beta2 (paper: 0.95; HF Trainer default 0.999)
 * @param adamEpsilon AdamW epsilon (1e-8)
 * @param weightDecay AdamW decoupled weight decay (paper: 0.05; HF Trainer default 0)
 * @param importanceSamplingLevel per-token ratio (GRPO, default) or GSPO's per-sequence ratio
 * @param weightDecayScope every parameter (default, paper/HF) or only matrices (LlamaGen's exemption of
 *     biases and norms)
 */
public record GrpoConfig(
    @JsonProperty("beta") @JsonPropertyDescription("KL coefficient of eq. 6 (paper 0.1, TRL 0); 0 skips the reference "
        + "forward")
    double beta,
    @JsonProperty("epsilon_low") @JsonPropertyDescription("lower clip range: the ratio is clipped at 1 - epsilon_low")
    double epsilonLow,
    @JsonProperty("epsilon_high") @JsonPropertyDescription("upper clip range, 1 + epsilon_high (DAPO: 0.28)")
    double epsilonHigh,
    @JsonProperty("delta") @JsonPropertyDescription("upper cap of the unclipped ratio (INTELLECT-2), nan = none")
    double delta,
    @JsonProperty("iterations") @JsonPropertyDescription("mu, optimisation passes over each generated batch")
    int iterations,
    @JsonProperty("loss_aggregation") @JsonPropertyDescription("grpo (eq. 4), bnpo (TRL 0.19, the AR-GRPO code) or "
        + "dr_grpo (docs/grpo.md)")
    LossAggregation lossAggregation,
    @JsonUnwrapped AdvantageConfig advantages,
    @JsonProperty("log_prob_source") @JsonPropertyDescription("conditional branch (the AR-GRPO code) or the "
        + "CFG-guided distribution")
    LogProbSource logProbSource,
    @JsonProperty("micro_batch_size") @JsonPropertyDescription("sequences per forward/backward, 0 = the whole batch")
    int microBatchSize,
    @JsonProperty("sequences_per_optimizer_step") @JsonPropertyDescription("sequences per AdamW step (gradients "
        + "accumulated), 0 = the whole batch in one step (paper); a multiple of micro_batch_size")
    int sequencesPerOptimizerStep,
    @JsonProperty("max_grad_norm") @JsonPropertyDescription("global L2 gradient clipping, <= 0 or inf = none (HF: 1.0)")
    double maxGradNorm,
    @JsonProperty("learning_rate") @JsonPropertyDescription("AdamW learning rate (paper: 1e-5)")
    double learningRate,
    @JsonProperty("warmup_steps") @JsonPropertyDescription("linear learning-rate warmup over the first N GRPO steps, "
        + "as HF's warmup_steps: step s uses learning_rate * (s - 1) / N until s > N; 0 = none (paper, AR-GRPO)")
    int warmupSteps,
    @JsonProperty("adam_beta1") @JsonPropertyDescription("AdamW beta1 (paper: 0.9)")
    double adamBeta1,
    @JsonProperty("adam_beta2") @JsonPropertyDescription("AdamW beta2 (paper: 0.95; the AR-GRPO script and HF: 0.999)")
    double adamBeta2,
    @JsonProperty("adam_epsilon") @JsonPropertyDescription("AdamW epsilon")
    double adamEpsilon,
    @JsonProperty("weight_decay") @JsonPropertyDescription("AdamW decoupled weight decay (paper: 0.05; the AR-GRPO "
        + "script and HF: 0)")
    double weightDecay,
    @JsonProperty("importance_sampling_level") @JsonPropertyDescription("token: a ratio per token (GRPO, TRL's "
        + "default); sequence: GSPO's one ratio per image")
    ImportanceSamplingLevel importanceSamplingLevel,
    @JsonProperty("weight_decay_scope") @JsonPropertyDescription("all parameters (paper, HF AdamW) or matrices only "
        + "(LlamaGen's exemption of biases and norms)")
    WeightDecayScope weightDecayScope) {

  public GrpoConfig {
    checkArgument(beta >= 0 && Double.isFinite(beta), "beta must be finite and >= 0, got %s", beta);
    checkArgument(epsilonLow >= 0 && epsilonLow < 1, "epsilonLow must be in [0, 1), got %s", epsilonLow);
    checkArgument(epsilonHigh >= 0 && Double.isFinite(epsilonHigh), "epsilonHigh must be finite and >= 0, got %s", epsilonHigh);
    checkArgument(Double.isNaN(delta) || delta > 1, "delta must be > 1 (or NaN for none), got %s", delta);
    checkArgument(iterations >= 1, "iterations (mu) must be >= 1, got %s", iterations);
    checkArgument(lossAggregation != null, "lossAggregation must not be null");
    checkArgument(advantages != null, "advantages must not be null");
    checkArgument(logProbSource != null, "logProbSource must not be null");
    checkArgument(microBatchSize >= 0, "microBatchSize must be >= 0 (0 = whole batch), got %s", microBatchSize);
    checkArgument(sequencesPerOptimizerStep >= 0, "sequencesPerOptimizerStep must be >= 0 (0 = whole batch), got %s",
        sequencesPerOptimizerStep);
    checkArgument(microBatchSize == 0 || sequencesPerOptimizerStep == 0 || sequencesPerOptimizerStep % microBatchSize == 0,
        "sequencesPerOptimizerStep (%s) must be a multiple of microBatchSize (%s)", sequencesPerOptimizerStep, microBatchSize);
    checkArgument(!Double.isNaN(maxGradNorm), "maxGradNorm must not be NaN (use 0 for no clipping)");
    checkArgument(warmupSteps >= 0, "warmupSteps must be >= 0 (0 = no warmup), got %s", warmupSteps);
    checkArgument(learningRate >= 0 && Double.isFinite(learningRate), "learningRate must be finite and >= 0, got %s", learningRate);
    checkArgument(adamBeta1 >= 0 && adamBeta1 < 1, "adamBeta1 must be in [0, 1), got %s", adamBeta1);
    checkArgument(adamBeta2 >= 0 && adamBeta2 < 1, "adamBeta2 must be in [0, 1), got %s", adamBeta2);
    checkArgument(adamEpsilon > 0, "adamEpsilon must be > 0, got %s", adamEpsilon);
    checkArgument(weightDecay >= 0 && Double.isFinite(weightDecay), "weightDecay must be finite and >= 0, got %s", weightDecay);
    checkArgument(importanceSamplingLevel != null, "importanceSamplingLevel must not be null");
    checkArgument(weightDecayScope != null, "weightDecayScope must not be null");
  }

  /**
   * The paper's settings (AR-GRPO section 4.1): beta 0.1, epsilon 0.2, one pass, AdamW lr 1e-5, betas
   * (0.9, 0.95), weight decay 0.05, gradient clipping 1.0, conditional log-probs, bnpo aggregation
   * (what the released code ran; equal to eq. 4's grpo for fixed-length images), TRL advantages.
   */
  public static GrpoConfig arGrpoPaper() {
    return new GrpoConfig(0.1, 0.2, 0.2, Double.NaN, 1, LossAggregation.BNPO, AdvantageConfig.trl(),
        LogProbSource.CONDITIONAL, 0, 0, 1.0, 1e-5, 0, 0.9, 0.95, 1e-8, 0.05, ImportanceSamplingLevel.TOKEN,
        WeightDecayScope.ALL);
  }

  /** A builder starting from {@link #arGrpoPaper()}. */
  public static Builder builder() {
    return new Builder(arGrpoPaper());
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The learning rate of GRPO step {@code step} (from 1): {@code learningRate * (step - 1) / warmupSteps}
   * during the warmup, as Hugging Face's {@code get_constant_schedule_with_warmup} gives the first update
   * a rate of 0, then {@code learningRate}.
   */
  public double learningRateAt(int step) {
    return step - 1 < warmupSteps ? learningRate * (step - 1) / warmupSteps : learningRate;
  }

  /** Whether the reference model is needed (beta > 0). */
  public boolean needsReference() {
    return beta > 0;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private double beta;
    private double epsilonLow;
    private double epsilonHigh;
    private double delta;
    private int iterations;
    private LossAggregation lossAggregation;
    private AdvantageConfig advantages;
    private LogProbSource logProbSource;
    private int microBatchSize;
    private int sequencesPerOptimizerStep;
    private double maxGradNorm;
    private double learningRate;
    private int warmupSteps;
    private double adamBeta1;
    private double adamBeta2;
    private double adamEpsilon;
    private double weightDecay;
    private ImportanceSamplingLevel importanceSamplingLevel;
    private WeightDecayScope weightDecayScope;

    private Builder(GrpoConfig c) {
      beta = c.beta;
      epsilonLow = c.epsilonLow;
      epsilonHigh = c.epsilonHigh;
      delta = c.delta;
      iterations = c.iterations;
      lossAggregation = c.lossAggregation;
      advantages = c.advantages;
      logProbSource = c.logProbSource;
      microBatchSize = c.microBatchSize;
      sequencesPerOptimizerStep = c.sequencesPerOptimizerStep;
      maxGradNorm = c.maxGradNorm;
      learningRate = c.learningRate;
      warmupSteps = c.warmupSteps;
      adamBeta1 = c.adamBeta1;
      adamBeta2 = c.adamBeta2;
      adamEpsilon = c.adamEpsilon;
      weightDecay = c.weightDecay;
      importanceSamplingLevel = c.importanceSamplingLevel;
      weightDecayScope = c.weightDecayScope;
    }

    public Builder beta(double v) { beta = v; return this; }
    /** Sets both clip ranges (symmetric clipping). */
    public Builder epsilon(double v) { epsilonLow = v; epsilonHigh = v; return this; }
    public Builder epsilonLow(double v) { epsilonLow = v; return this; }
    public Builder epsilonHigh(double v) { epsilonHigh = v; return this; }
    public Builder delta(double v) { delta = v; return this; }
    public Builder iterations(int v) { iterations = v; return this; }
    public Builder lossAggregation(LossAggregation v) { lossAggregation = v; return this; }
    public Builder advantages(AdvantageConfig v) { advantages = v; return this; }
    public Builder logProbSource(LogProbSource v) { logProbSource = v; return this; }
    public Builder microBatchSize(int v) { microBatchSize = v; return this; }
    public Builder sequencesPerOptimizerStep(int v) { sequencesPerOptimizerStep = v; return this; }
    public Builder maxGradNorm(double v) { maxGradNorm = v; return this; }
    public Builder learningRate(double v) { learningRate = v; return this; }
    public Builder warmupSteps(int v) { warmupSteps = v; return this; }
    public Builder adamBetas(double b1, double b2) { adamBeta1 = b1; adamBeta2 = b2; return this; }
    public Builder adamEpsilon(double v) { adamEpsilon = v; return this; }
    public Builder weightDecay(double v) { weightDecay = v; return this; }
    public Builder importanceSamplingLevel(ImportanceSamplingLevel v) { importanceSamplingLevel = v; return this; }
    public Builder weightDecayScope(WeightDecayScope v) { weightDecayScope = v; return this; }

    public GrpoConfig build() {
      return new GrpoConfig(beta, epsilonLow, epsilonHigh, delta, iterations, lossAggregation, advantages, logProbSource,
          microBatchSize, sequencesPerOptimizerStep, maxGradNorm, learningRate, warmupSteps, adamBeta1, adamBeta2, adamEpsilon, weightDecay,
          importanceSamplingLevel, weightDecayScope);
    }
  }
}
