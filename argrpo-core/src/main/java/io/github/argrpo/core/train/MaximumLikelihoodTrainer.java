package io.github.argrpo.core.train;

import static com.google.common.base.Preconditions.checkState;

import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.policy.LogProbSource;
import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.grpo.AdamWFactory;

/**
 * Teacher-forced maximum-likelihood training (next-token cross-entropy), the way LlamaGen is
 * pretrained: teaches a policy a data distribution before GRPO fine-tunes it. The policy is put in
 * training mode, so its condition dropout (LlamaGen's class dropout, which keeps classifier-free
 * guidance trained) and dropouts apply.
 *
 * <pre>{@code
 * try (MaximumLikelihoodTrainer mle = new MaximumLikelihoodTrainer(policy, 3e-3, 0.0, 1.0)) {
 *   double nll = mle.step(conditions, tokens);   // tokens: (N, L) int64 from the tokenizer
 * }
 * }</pre>
 */
public final class MaximumLikelihoodTrainer implements AutoCloseable {

  private final Policy policy;
  private final List<Tensor> params;
  private final AdamW adamW;
  private final double maxGradNorm;

  /**
   * @param policy the model to train (not closed by this trainer)
   * @param learningRate AdamW learning rate
   * @param weightDecay AdamW weight decay
   * @param maxGradNorm gradient clipping threshold, {@code <= 0} for none
   */
  public MaximumLikelihoodTrainer(Policy policy, double learningRate, double weightDecay, double maxGradNorm) {
    this.policy = policy;
    this.params = List.copyOf(policy.trainableParameters());
    this.adamW = AdamWFactory.create(params, learningRate, 0.9, 0.95, 1e-8, weightDecay);
    this.maxGradNorm = maxGradNorm;
  }

  /** The optimizer (learning-rate schedules, state). */
  public AdamW adamW() {
    return adamW;
  }

  /**
   * One AdamW step on the mean negative log-likelihood of {@code tokens} given {@code conditions}.
   *
   * @param conditions one per row of {@code tokens}
   * @param tokens {@code (N, L)} int64 image tokens (not consumed)
   * @return the mean per-token negative log-likelihood before the step (nats)
   */
  public double step(List<? extends Condition> conditions, Tensor tokens) {
    policy.setTraining(true);
    try (PointerScope scope = new PointerScope()) {
      adamW.zero_grad(true);
      Tensor lp = policy.tokenLogProbs(conditions, tokens, LogProbSource.CONDITIONAL, SamplingConfig.plain());
      Tensor nll = lp.mean().neg();
      nll.backward();
      if (maxGradNorm > 0) {
        torch.clip_grad_norm_(new TensorVector(params.toArray(new Tensor[0])), maxGradNorm, 2.0, false);
      }
      double v = nll.item_double();
      checkState(Double.isFinite(v), "maximum-likelihood loss is %s; lower the learning rate", v);
      adamW.step();
      return v;
    } finally {
      policy.setTraining(false);
    }
  }

  @Override
  public void close() {
    adamW.close();
  }
}
