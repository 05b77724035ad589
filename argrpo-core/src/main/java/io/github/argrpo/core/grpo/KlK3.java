package io.github.argrpo.core.grpo;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The per-token KL penalty of AR-GRPO eq. 6, Schulman's k3 estimator of {@code KL(pi_theta || pi_ref)}:
 *
 * <pre>
 *   D_KL = pi_ref / pi_theta - log(pi_ref / pi_theta) - 1 = exp(d) - d - 1,   d = log pi_ref - log pi_theta
 * </pre>
 *
 * <p>It is computed from the log difference {@code d}, never from the probabilities, as
 * {@code expm1(d) - d} in float64: {@code expm1} keeps the small-{@code d} regime (where the policy is
 * close to the reference, i.e. almost always) free of the cancellation in {@code exp(d) - 1}, and
 * float64 does not overflow until {@code d > 709} (a token whose reference probability is {@code e^709}
 * times the policy's). The value is {@code >= 0} for every {@code d} and {@code 0} exactly when
 * {@code d = 0}; its expectation under {@code pi_theta} is the exact KL.
 */
public final class KlK3 {

  private KlK3() {}

  /**
   * Per-token k3 KL, float64, same shape as the inputs, differentiable with respect to {@code logp}
   * (and {@code refLogp} if it requires grad). Owned by the caller's scope.
   */
  public static Tensor perToken(Tensor logp, Tensor refLogp) {
    Tensor d = refLogp.to(ScalarType.Double).sub(logp.to(ScalarType.Double));
    // clamp_min(0) only guards the last ulp: expm1(d) >= d holds mathematically for every d.
    return d.expm1().sub(d).clamp_min(new Scalar(0.0));
  }

  /** The same estimator for one token in plain Java (for reports and tests). */
  public static double of(double logp, double refLogp) {
    double d = refLogp - logp;
    return Math.max(0.0, Math.expm1(d) - d);
  }
}
