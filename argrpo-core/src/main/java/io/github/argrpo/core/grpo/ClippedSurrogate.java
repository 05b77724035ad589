package io.github.argrpo.core.grpo;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The clipped surrogate of AR-GRPO eq. 4-5 (PPO's objective with group advantages), per token:
 *
 * <pre>
 *   r_{i,t} = pi_theta(o_t) / pi_old(o_t) = exp(logp - logp_old)
 *   loss_{i,t} = -min( r * A_i,  clip(r, 1 - eps_low, 1 + eps_high) * A_i )
 * </pre>
 *
 * <p>With one optimisation pass per batch ({@code mu = 1}) {@code logp_old} is {@code logp} detached,
 * so {@code r = 1} and the gradient is {@code -A * grad logp} (REINFORCE with group baselines, what the
 * AR-GRPO code effectively trains). With {@code mu > 1} the old log-probs are those of the policy before
 * the first update, and clipping is active. {@code eps_high > eps_low} is DAPO's clip-higher; an optional
 * {@code delta} caps the unclipped ratio from above (INTELLECT-2's two-sided clipping).
 *
 * <p>GSPO ({@link ImportanceSamplingLevel#SEQUENCE}) replaces the per-token ratio by one per sequence,
 * the exponential of the mean per-token log-ratio.
 *
 * <p>Inputs are cast to float64 for the arithmetic; the gradient flows back to {@code logp}.
 */
public final class ClippedSurrogate {

  private ClippedSurrogate() {}

  /** Per-token tensors of the surrogate, all {@code (n, L)} and owned by the caller's scope. */
  public record Terms(Tensor loss, Tensor ratio, Tensor clippedLow, Tensor clippedHigh) {}

  /**
   * @param logp {@code (n, L)} current log-probs (with grad)
   * @param oldLogp {@code (n, L)} log-probs of the policy that produced the batch (no grad)
   * @param advantages {@code (n)} one advantage per sequence, broadcast over its tokens
   * @param epsLow lower clip {@code 1 - epsLow}
   * @param epsHigh upper clip {@code 1 + epsHigh}
   * @param delta upper cap of the unclipped ratio, or {@code Double.NaN} for none
   */
  public static Terms perToken(Tensor logp, Tensor oldLogp, Tensor advantages, double epsLow, double epsHigh, double delta) {
    return perToken(logp, oldLogp, advantages, null, epsLow, epsHigh, delta, ImportanceSamplingLevel.TOKEN);
  }

  /**
   * The surrogate with the importance ratio taken at {@code level}: per token, or GSPO's per sequence
   * ({@code exp} of the sequence's mean log-ratio over its unmasked tokens, broadcast to its tokens, as
   * TRL's {@code importance_sampling_level="sequence"}; the gradient flows through the mean).
   *
   * @param mask {@code (n, L)} float 0/1 mask of the tokens that count, or null for all (only the
   *     sequence-level mean uses it; the caller masks the per-token loss)
   */
  public static Terms perToken(Tensor logp, Tensor oldLogp, Tensor advantages, Tensor mask, double epsLow, double epsHigh,
      double delta, ImportanceSamplingLevel level) {
    Tensor lp = logp.to(ScalarType.Double);
    Tensor old = oldLogp.to(ScalarType.Double).detach();
    Tensor a = advantages.to(ScalarType.Double).detach().unsqueeze(1);
    Tensor logRatio = lp.sub(old);
    if (level == ImportanceSamplingLevel.SEQUENCE) {
      Tensor seqMean;
      if (mask == null) {
        seqMean = logRatio.mean(new long[] {1}, true, new ScalarTypeOptional());
      } else {
        Tensor m = mask.to(ScalarType.Double);
        seqMean = logRatio.mul(m).sum(new long[] {1}, true, new ScalarTypeOptional())
            .div(m.sum(new long[] {1}, true, new ScalarTypeOptional()).clamp_min(new Scalar(1.0)));
      }
      // (n, 1) broadcast to (n, L): every token of a sequence carries the sequence's ratio
      logRatio = seqMean.expand_as(lp);
    }
    Tensor ratio = logRatio.exp();
    Tensor clipped = ratio.clamp(new ScalarOptional(new Scalar(1.0 - epsLow)), new ScalarOptional(new Scalar(1.0 + epsHigh)));
    Tensor unclipped = Double.isNaN(delta) ? ratio : ratio.clamp_max(new Scalar(delta));
    Tensor loss = torch.minimum(unclipped.mul(a), clipped.mul(a)).neg();
    // TRL's clip metrics: a token counts as clipped when the clip binds on the side its advantage pushes
    Tensor low = ratio.lt(new Scalar(1.0 - epsLow)).logical_and(a.lt(new Scalar(0.0)));
    Tensor high = ratio.gt(new Scalar(1.0 + epsHigh)).logical_and(a.gt(new Scalar(0.0)));
    return new Terms(loss, ratio.detach(), low, high);
  }
}
