package io.github.argrpo.core.grpo;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The full GRPO objective of AR-GRPO eq. 4-6 for one (micro-)batch:
 *
 * <pre>
 *   loss = agg_{i,t}( -min(r A, clip(r) A) + beta * D_KL^{k3}(pi_theta || pi_ref) )
 * </pre>
 *
 * with {@link ClippedSurrogate}, {@link KlK3} and a {@link LossAggregation}. Returns the loss (float64
 * scalar, differentiable) and the sums the optimizer turns into step statistics.
 */
public final class GrpoLoss {

  private GrpoLoss() {}

  /**
   * The loss and its diagnostic parts for one micro-batch. Tensors are owned by the caller's scope;
   * the doubles are sums over this micro-batch's unmasked tokens (divide by {@link #tokens}).
   *
   * @param loss scalar to {@code backward()}: this micro-batch's share of the batch loss
   * @param policyLoss the surrogate part of {@code loss} (same aggregation)
   * @param klLoss the KL part of {@code loss} before multiplying by beta (same aggregation), 0 without reference
   */
  public record Output(Tensor loss, double policyLoss, double klLoss, double tokens, double klSum, double ratioSum,
      double ratioMin, double ratioMax, double clippedLow, double clippedHigh) {}

  /**
   * @param logp {@code (n, L)} current log-probs with grad
   * @param oldLogp {@code (n, L)} old log-probs, or null for {@code logp.detach()} (mu = 1)
   * @param refLogp {@code (n, L)} reference log-probs, or null when {@code beta = 0}
   * @param advantages {@code (n)} per-sequence advantages
   * @param mask {@code (n, L)} 0/1 token mask, or null for all tokens
   * @param config objective options
   * @param batchSequences sequences in the whole optimisation batch (for aggregation)
   * @param batchTokens unmasked tokens in the whole optimisation batch (for aggregation)
   */
  public static Output compute(Tensor logp, Tensor oldLogp, Tensor refLogp, Tensor advantages, Tensor mask, GrpoConfig config,
      long batchSequences, double batchTokens) {
    checkArgument(logp.dim() == 2, "logp must be (n, L), got %s dims", logp.dim());
    long n = logp.size(0);
    long len = logp.size(1);
    checkArgument(advantages.dim() == 1 && advantages.size(0) == n, "advantages must be (%s), one per sequence", n);
    checkSame("oldLogp", oldLogp, logp);
    checkSame("refLogp", refLogp, logp);
    checkSame("mask", mask, logp);
    checkArgument(!(config.beta() > 0 && refLogp == null),
        "beta = %s needs reference log-probs; pass refLogp or set beta to 0", config.beta());
    Tensor old = oldLogp == null ? logp.detach() : oldLogp;
    Tensor m = mask == null ? null : mask.to(ScalarType.Double);
    ClippedSurrogate.Terms s = ClippedSurrogate.perToken(logp, old, advantages, m, config.epsilonLow(), config.epsilonHigh(),
        config.delta(), config.importanceSamplingLevel());
    LossAggregation agg = config.lossAggregation();
    Tensor policy = agg.aggregate(s.loss(), m, batchSequences, batchTokens, len);
    Tensor total = policy;
    double klLoss = 0;
    double klSum = 0;
    if (refLogp != null && config.beta() > 0) {
      Tensor kl = KlK3.perToken(logp, refLogp);
      Tensor klAgg = agg.aggregate(kl, m, batchSequences, batchTokens, len);
      total = policy.add(klAgg.mul(new Scalar(config.beta())));
      klLoss = klAgg.item_double();
      klSum = masked(kl.detach(), m).sum().item_double();
    } else if (refLogp != null) {
      klSum = masked(KlK3.perToken(logp.detach(), refLogp), m).sum().item_double();
    }
    double tokens = m == null ? (double) n * len : m.sum().item_double();
    Tensor ratio = s.ratio();
    Tensor sel = m == null ? ratio : ratio.masked_select(m.gt(new Scalar(0.5)));
    double rMin = sel.numel() == 0 ? Double.NaN : sel.min().item_double();
    double rMax = sel.numel() == 0 ? Double.NaN : sel.max().item_double();
    return new Output(total, policy.item_double(), klLoss, tokens, klSum, masked(ratio, m).sum().item_double(), rMin, rMax,
        masked(s.clippedLow().to(ScalarType.Double), m).sum().item_double(),
        masked(s.clippedHigh().to(ScalarType.Double), m).sum().item_double());
  }

  private static Tensor masked(Tensor t, Tensor m) {
    return m == null ? t : t.mul(m);
  }

  private static void checkSame(String name, Tensor t, Tensor like) {
    if (t != null && (t.dim() != 2 || t.size(0) != like.size(0) || t.size(1) != like.size(1))) {
      throw new IllegalArgumentException(name + " must have the shape of logp (" + like.size(0) + ", " + like.size(1)
          + "), got " + Arrays.toString(t.sizes().vec().get()));
    }
  }
}
