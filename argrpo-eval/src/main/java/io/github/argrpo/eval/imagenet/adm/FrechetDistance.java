package io.github.argrpo.eval.imagenet.adm;

import static com.google.common.base.Preconditions.checkArgument;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.runtime.NativeRuntime;

/**
 * The ADM evaluator's {@code FIDStatistics.frechet_distance}, called as
 * {@code sample_stats.frechet_distance(ref_stats)}:
 * {@code |mu_s - mu_r|^2 + tr(sigma_s) + tr(sigma_r) - 2 tr(sqrtm(sigma_s sigma_r))}. Used for FID
 * (pool_3) and sFID (spatial features) alike.
 *
 * <ul>
 *   <li>{@code diff = mu_s - mu_r} and {@code diff.dot(diff)} are float32 values, as numpy computes them
 *       from the float32 means (the dot is summed in float64 here and rounded once).</li>
 *   <li>{@code tr(sqrtm(A))} is the sum of {@code Re(sqrt(lambda))} over the complex eigenvalues of
 *       {@code A = sigma_s @ sigma_r} (principal branch; libtorch {@code linalg_eigvals} in float64);
 *       this equals scipy's {@code sqrtm(A).real} trace to about 1e-9 relative, singular cases
 *       included, without forming the square root.</li>
 *   <li>The evaluator retries with {@code (sigma_s + eps I) @ (sigma_r + eps I)}, eps = 1e-6, when
 *       scipy's first square root is not finite. Scipy's failure happens exactly when one feature has
 *       zero variance in the reference set but not in the sample set and another has zero variance in
 *       the sample set but not in the reference set (fixture README), so that is the rule here; a
 *       non-finite eigenvalue also triggers it.</li>
 *   <li>The evaluator raises when the square root's diagonal has an imaginary part above 1e-3. The
 *       diagonal of the matrix square root is not formed here, so the check is made on the
 *       imaginary parts of the eigenvalue square roots instead; for the product of two covariance
 *       matrices (real, non-negative eigenvalues) both are rounding noise.</li>
 * </ul>
 */
public final class FrechetDistance {

  private static final Logger LOG = LoggerFactory.getLogger(FrechetDistance.class);

  /** The evaluator's eps for the retry. */
  public static final double EPS = 1e-6;

  /** The evaluator's tolerance on the imaginary part of the square root. */
  public static final double IMAGINARY_TOLERANCE = 1e-3;

  private FrechetDistance() {}

  /**
   * The distance and its parts.
   *
   * @param value the Fréchet distance
   * @param meanTerm {@code diff.dot(diff)} (a float32 value)
   * @param traceCovmean {@code tr(sqrtm(sigma_s sigma_r).real)}
   * @param epsRetry whether the eps = 1e-6 retry ran
   * @param maxImaginary the largest |imaginary part| among the eigenvalue square roots
   */
  public record Result(double value, double meanTerm, double traceCovmean, boolean epsRetry,
      double maxImaginary) {}

  /**
   * The distance of {@code sample} from {@code ref}.
   *
   * @throws IllegalArgumentException if the dimensions differ
   * @throws ArithmeticException if the square root has an imaginary part above
   *     {@link #IMAGINARY_TOLERANCE} (the evaluator's {@code ValueError})
   */
  public static Result compute(FeatureStatistics sample, FeatureStatistics ref) {
    int d = sample.dim();
    checkArgument(ref.dim() == d,
        "sample statistics have %s features, reference %s: both must come from the same feature (pool_3 or spatial)", d,
        ref.dim());
    float[] ms = sample.mu();
    float[] mr = ref.mu();
    double dot = 0;
    for (int j = 0; j < d; j++) {
      float diff = ms[j] - mr[j];
      dot += (double) diff * diff;
    }
    double meanTerm = (float) dot;

    boolean retry = needsEpsRetry(sample, ref);
    double[] roots = retry ? null : sqrtEigenvalues(sample.sigma(), ref.sigma(), d, 0.0);
    if (roots == null) {
      LOG.warn("fid calculation produces singular product; adding {} to diagonal of cov estimates", EPS);
      retry = true;
      roots = sqrtEigenvalues(sample.sigma(), ref.sigma(), d, EPS);
      if (roots == null) {
        throw new ArithmeticException("the square root of sigma_s sigma_r is not finite even with eps = "
            + EPS + " added to the diagonals: the statistics hold NaN or infinite values");
      }
    }
    double trace = roots[0];
    double maxImag = roots[1];
    if (maxImag > IMAGINARY_TOLERANCE) {
      throw new ArithmeticException("Imaginary component " + maxImag + " in the square root of "
          + "sigma_s sigma_r (the evaluator's limit is " + IMAGINARY_TOLERANCE + "): the covariances are "
          + "not valid covariance matrices");
    }
    double value = meanTerm + sample.trace() + ref.trace() - 2 * trace;
    return new Result(value, meanTerm, trace, retry, maxImag);
  }

  /**
   * Whether scipy's first {@code sqrtm} fails on these statistics (README rule): some feature has zero
   * variance in {@code ref} only and another has zero variance in {@code sample} only.
   */
  static boolean needsEpsRetry(FeatureStatistics sample, FeatureStatistics ref) {
    boolean refOnly = false;
    boolean sampleOnly = false;
    for (int i = 0; i < sample.dim(); i++) {
      boolean zs = sample.variance(i) == 0.0;
      boolean zr = ref.variance(i) == 0.0;
      refOnly |= zr && !zs;
      sampleOnly |= zs && !zr;
    }
    return refOnly && sampleOnly;
  }

  /**
   * {@code {sum Re sqrt(lambda), max |Im sqrt(lambda)|}} over the eigenvalues of
   * {@code (a + eps I)(b + eps I)}, or null when an eigenvalue is not finite.
   */
  private static double[] sqrtEigenvalues(double[] a, double[] b, int d, double eps) {
    NativeRuntime.init();
    double[] ev = new double[2 * d];
    try (PointerScope scope = new PointerScope()) {
      Tensor ta = Tensor.create(a, d, d);
      Tensor tb = Tensor.create(b, d, d);
      if (eps != 0.0) {
        Tensor eye = torch.eye(d, new TensorOptions(ScalarType.Double)).mul(new Scalar(eps));
        ta = ta.add(eye);
        tb = tb.add(eye);
      }
      Tensor lambda = torch.linalg_eigvals(ta.mm(tb));
      torch.view_as_real(lambda).contiguous().data_ptr_double().get(ev);
    }
    double sum = 0;
    double maxImag = 0;
    for (int k = 0; k < d; k++) {
      double re = ev[2 * k];
      double im = ev[2 * k + 1];
      if (!Double.isFinite(re) || !Double.isFinite(im)) {
        return null;
      }
      // principal square root of re + i im: Re = sqrt((|z| + re) / 2), |Im| = sqrt((|z| - re) / 2)
      double mod = Math.hypot(re, im);
      sum += Math.sqrt(Math.max(0.0, (mod + re) / 2));
      maxImag = Math.max(maxImag, Math.sqrt(Math.max(0.0, (mod - re) / 2)));
    }
    return new double[] {sum, maxImag};
  }
}
