package io.github.argrpo.core.grpo;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.nio.file.Path;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Scopes;

/**
 * {@link GrpoOptimizer} with libtorch AdamW, following TRL's {@code GRPOTrainer} (which the AR-GRPO
 * code copies): reference log-probs once per batch under no-grad; old log-probs once before the first
 * update when any update is off-policy, that is {@code mu > 1} or more than one optimizer step per batch
 * (else {@code logp.detach()}, ratio 1); then for each pass, the batch is split into
 * optimizer steps of {@link GrpoConfig#sequencesPerOptimizerStep()} sequences, each accumulated over
 * micro-batches of {@link GrpoConfig#microBatchSize()}, gradient-clipped and stepped.
 *
 * <p>Log-probs are computed with the policy in evaluation mode (dropout off), as the AR-GRPO code does.
 * Every micro-batch runs inside its own {@code PointerScope}; the AdamW state lives until {@link #close()}.
 */
public final class AdamWGrpoOptimizer implements GrpoOptimizer {

  private static final Logger LOG = LoggerFactory.getLogger(AdamWGrpoOptimizer.class);

  private final GrpoConfig config;
  private final List<Tensor> params;
  private final AdamW adamW;
  private volatile GradientSynchronizer gradientSynchronizer = GradientSynchronizer.NONE;

  /**
   * Builds AdamW over {@code policy.trainableParameters()} with the config's settings (betas in the right
   * order; weight decay on the parameters {@link GrpoConfig#weightDecayScope()} names).
   */
  public AdamWGrpoOptimizer(Policy policy, GrpoConfig config) {
    NativeRuntime.init();
    this.config = config;
    this.params = List.copyOf(policy.trainableParameters());
    checkArgument(!params.isEmpty(), "the policy has no trainable parameters");
    this.adamW = AdamWFactory.create(params, config.learningRate(), config.adamBeta1(), config.adamBeta2(),
        config.adamEpsilon(), config.weightDecay(), config.weightDecayScope());
  }

  @Override
  public GrpoConfig config() {
    return config;
  }

  @Override
  public void setGradientSynchronizer(GradientSynchronizer sync) {
    this.gradientSynchronizer = sync == null ? GradientSynchronizer.NONE : sync;
  }

  /** The policy parameters this optimizer updates. */
  public List<Tensor> parameters() {
    return params;
  }

  /** The libtorch optimizer (its parameter groups and options). */
  public AdamW adamW() {
    return adamW;
  }

  @Override
  public double learningRate() {
    return AdamWFactory.learningRate(adamW);
  }

  @Override
  public void setLearningRate(double learningRate) {
    checkArgument(learningRate >= 0 && Double.isFinite(learningRate),
        "the learning rate must be finite and >= 0, got %s", learningRate);
    AdamWFactory.setLearningRate(adamW, learningRate);
  }

  @Override
  public void saveState(Path file) {
    try (PointerScope scope = new PointerScope()) {
      OutputArchive a = new OutputArchive();
      adamW.save(a);
      a.save_to(file.toString());
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot write the AdamW state to " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void loadState(Path file) {
    try (PointerScope scope = new PointerScope()) {
      InputArchive a = new InputArchive();
      a.load_from(file.toString());
      adamW.load(a);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot read the AdamW state from " + file + " (written for another model or "
          + "weight-decay scope?): " + e.getMessage(), e);
    }
  }

  @Override
  public GrpoStepStats optimize(Rollouts rollouts, double[] advantages, double[] rewards, double zeroStdFraction,
      Policy policy, Policy reference) {
    int n = rollouts.size();
    checkArgument(advantages.length == n && rewards.length == n,
        "%s advantages and %s rewards for %s rollouts; pass one of each per rollout", advantages.length, rewards.length,
        n);
    double[] adv = advantages;
    checkArgument(!(config.needsReference() && reference == null),
        "beta = %s needs a reference policy; pass policy.frozenCopy() or set beta to 0", config.beta());
    int seqPerStep = config.sequencesPerOptimizerStep() == 0 ? n : config.sequencesPerOptimizerStep();
    int micro = config.microBatchSize() == 0 ? seqPerStep : Math.min(config.microBatchSize(), seqPerStep);
    checkArgument(n % seqPerStep == 0,
        "the batch of %s sequences is not a whole number of optimizer steps of %s (sequencesPerOptimizerStep)", n,
        seqPerStep);
    checkArgument(seqPerStep % micro == 0,
        "sequencesPerOptimizerStep %s is not a multiple of microBatchSize %s", seqPerStep, micro);
    List<Condition> conditions = rollouts.sampleConditions();
    Tensor tokens = rollouts.tokens();
    long len = tokens.size(1);
    SamplingConfig sc = rollouts.samplingConfig();

    policy.setTraining(false);
    Tensor refLp = null;
    Tensor oldLp = null;
    Tensor advT;
    try (PointerScope outer = new PointerScope()) {
      advT = Tensor.create(adv, n);
      advT.retainReference();
      if (config.needsReference()) {
        refLp = noGradLogProbs(reference, conditions, tokens, sc, micro);
      }
      // Every update after the first of a batch sees a policy that moved since sampling: it needs the
      // sampling policy's log-probs for the importance ratio and clipping (TRL computes them then too).
      if (config.iterations() > 1 || seqPerStep < n) {
        oldLp = noGradLogProbs(policy, conditions, tokens, sc, micro);
      }
    }
    try {
      Acc acc = new Acc();
      for (int it = 0; it < config.iterations(); it++) {
        for (int s0 = 0; s0 < n; s0 += seqPerStep) {
          adamW.zero_grad(true);
          double stepLoss = 0;
          for (int m0 = s0; m0 < s0 + seqPerStep; m0 += micro) {
            try (PointerScope scope = new PointerScope()) {
              Tensor lp = policy.tokenLogProbs(conditions.subList(m0, m0 + micro), tokens.narrow(0, m0, micro),
                  config.logProbSource(), sc);
              GrpoLoss.Output out = GrpoLoss.compute(lp, oldLp == null ? null : oldLp.narrow(0, m0, micro),
                  refLp == null ? null : refLp.narrow(0, m0, micro), advT.narrow(0, m0, micro), null, config, seqPerStep,
                  (double) seqPerStep * len);
              out.loss().backward();
              stepLoss += out.loss().item_double();
              acc.add(out);
            }
          }
          double gradNorm;
          try (PointerScope scope = new PointerScope()) {
            gradientSynchronizer.synchronize(params);
            gradNorm = clipGradients();
          }
          checkState(Double.isFinite(stepLoss) && Double.isFinite(gradNorm),
              "GRPO produced a non-finite loss (%s) or gradient norm (%s); the update was not applied. Lower "
                  + "the learning rate, check the rewards, or use fp32.", stepLoss, gradNorm);
          adamW.step();
          acc.loss += stepLoss;
          acc.gradNorm += gradNorm;
          acc.steps++;
        }
      }
      GrpoStepStats stats = GrpoStepStats.builder()
          .loss(acc.loss / acc.steps)
          .policyLoss(acc.policyLoss / acc.steps)
          .klMean(refLp == null ? Double.NaN : acc.klSum / acc.tokens)
          .clipFractions(acc.clipLow / acc.tokens, acc.clipHigh / acc.tokens)
          .ratios(acc.ratioSum / acc.tokens, acc.ratioMin, acc.ratioMax)
          .advantages(GroupAdvantages.mean(adv, 0, n), GroupAdvantages.std(adv, 0, n, false))
          .rewards(GroupAdvantages.mean(rewards, 0, n), GroupAdvantages.std(rewards, 0, n, true))
          .zeroStdFraction(zeroStdFraction)
          .entropy(rollouts.meanEntropy())
          .gradNorm(acc.gradNorm / acc.steps)
          .optimizerSteps(acc.steps)
          .tokens((long) n * len)
          .build();
      LOG.debug("GRPO step: {}", stats);
      return stats;
    } finally {
      advT.releaseReference();
      if (refLp != null) {
        refLp.releaseReference();
      }
      if (oldLp != null) {
        oldLp.releaseReference();
      }
    }
  }

  /** Log-probs of all rows without gradient, micro-batched; the result is retained (caller releases). */
  private Tensor noGradLogProbs(Policy p, List<Condition> conditions, Tensor tokens, SamplingConfig sc, int micro) {
    int n = conditions.size();
    try (NoGradGuard ng = new NoGradGuard(); PointerScope scope = new PointerScope()) {
      Tensor[] parts = new Tensor[(n + micro - 1) / micro];
      for (int i = 0, k = 0; i < n; i += micro, k++) {
        int m = Math.min(micro, n - i);
        // each micro-batch in its own scope, only its (m, L) log-probs handed out: in the pass's one scope every
        // micro-batch's activations and logits lived until the end, so micro-batching bounded no memory (the
        // paper's 8 x 8 batch of GPT-B ran out of 24 GB in the reference pass)
        try (PointerScope one = new PointerScope()) {
          parts[k] = Scopes.handOut(p.tokenLogProbs(conditions.subList(i, i + m), tokens.narrow(0, i, m),
              config.logProbSource(), sc), scope);
        }
      }
      Tensor all = parts.length == 1 ? parts[0].detach() : torch.cat(new TensorVector(parts), 0);
      all.retainReference();
      return all;
    }
  }

  private double clipGradients() {
    TensorVector pv = new TensorVector(params.toArray(new Tensor[0]));
    double max = config.maxGradNorm();
    if (max > 0 && Double.isFinite(max)) {
      return torch.clip_grad_norm_(pv, max, 2.0, false);
    }
    // no clipping: only the norm is wanted (the threshold must fit a float32 parameter dtype)
    return torch.clip_grad_norm_(pv, Float.MAX_VALUE, 2.0, false);
  }

  @Override
  public void close() {
    adamW.close();
  }

  /** Running sums over micro-batches. */
  private static final class Acc {
    double loss;
    double policyLoss;
    double klSum;
    double ratioSum;
    double ratioMin = Double.POSITIVE_INFINITY;
    double ratioMax = Double.NEGATIVE_INFINITY;
    double clipLow;
    double clipHigh;
    double tokens;
    double gradNorm;
    int steps;

    void add(GrpoLoss.Output o) {
      policyLoss += o.policyLoss();
      klSum += o.klSum();
      ratioSum += o.ratioSum();
      ratioMin = Math.min(ratioMin, o.ratioMin());
      ratioMax = Math.max(ratioMax, o.ratioMax());
      clipLow += o.clippedLow();
      clipHigh += o.clippedHigh();
      tokens += o.tokens();
    }
  }
}
