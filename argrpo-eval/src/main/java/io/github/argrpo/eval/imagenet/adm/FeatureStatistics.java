package io.github.argrpo.eval.imagenet.adm;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * The per-set statistics of the Fréchet distance as the ADM evaluator keeps them: {@code mu} in
 * float32 (numpy's {@code np.mean(x, axis=0)} of float32 activations: rows added one after another in
 * float32, then divided by N in float32) and {@code sigma} in float64 ({@code np.cov(x, rowvar=False)}).
 * Built with {@link MomentAccumulator}, or read from a reference batch that stores them.
 *
 * @param mu the mean, length D (float32, as the evaluator has it)
 * @param sigma the covariance, row-major D x D (float64)
 * @param count the number of rows they were computed from (0 when read from a file that does not say)
 */
public record FeatureStatistics(float[] mu, double[] sigma, long count) {

  /** Validates the shapes. */
  public FeatureStatistics {
    checkNotNull(mu, "mu");
    checkNotNull(sigma, "sigma");
    checkArgument(mu.length != 0, "mu must not be empty");
    checkArgument((long) mu.length * mu.length == sigma.length,
        "sigma must be %s x %s to match mu, got %s values", mu.length, mu.length, sigma.length);
    checkArgument(count >= 0, "count must be >= 0, got %s", count);
  }

  /** The feature dimension D. */
  public int dim() {
    return mu.length;
  }

  /** {@code sigma[i][i]}. */
  public double variance(int i) {
    return sigma[i * mu.length + i];
  }

  /** The trace of sigma. */
  public double trace() {
    double t = 0;
    for (int i = 0; i < mu.length; i++) {
      t += variance(i);
    }
    return t;
  }
}
