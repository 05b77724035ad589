package io.github.argrpo.eval.imagenet.adm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Fréchet distances of diagonal covariances, where {@code tr sqrtm(S R) = sum sqrt(s_i r_i)}, worked by
 * hand; and the evaluator's eps retry rule (fixture README).
 */
class FrechetDistanceTest {

  private static FeatureStatistics diag(float[] mu, double... var) {
    int d = var.length;
    double[] s = new double[d * d];
    for (int i = 0; i < d; i++) {
      s[i * d + i] = var[i];
    }
    return new FeatureStatistics(mu, s, 10);
  }

  @Test
  void diagonalCovariancesGiveMeanTermPlusSquaredRootDifferences() {
    FeatureStatistics sample = diag(new float[] {1, 2}, 4, 9);
    FeatureStatistics ref = diag(new float[] {0, 0}, 1, 1);
    FrechetDistance.Result r = FrechetDistance.compute(sample, ref);
    // |(1,2)|^2 = 5; (sqrt 4 - 1)^2 + (sqrt 9 - 1)^2 = 1 + 4
    assertThat(r.value()).isCloseTo(10.0, within(1e-12));
    assertThat(r.meanTerm()).isEqualTo(5.0);
    assertThat(r.traceCovmean()).isCloseTo(2 + 3, within(1e-12));
    assertThat(r.epsRetry()).isFalse();
  }

  @Test
  void zeroVarianceOnOneSideOnlyNeedsNoRetry() {
    FeatureStatistics sample = diag(new float[] {0, 0}, 0, 1);
    FeatureStatistics ref = diag(new float[] {0, 0}, 1, 1);
    FrechetDistance.Result r = FrechetDistance.compute(sample, ref);
    // 0 + (0 + 1) + (1 + 1) - 2 (0 + 1)
    assertThat(r.value()).isCloseTo(1.0, within(1e-12));
    assertThat(r.epsRetry()).isFalse();
  }

  @Test
  void crossedZeroVariancesRetryWithEpsOnBothDiagonals() {
    FeatureStatistics sample = diag(new float[] {0, 0, 0}, 0, 1, 1);
    FeatureStatistics ref = diag(new float[] {0, 0, 0}, 1, 0, 1);
    FrechetDistance.Result r = FrechetDistance.compute(sample, ref);
    double e = 1e-6;
    // tr sqrt((S + eI)(R + eI)) = 2 sqrt(e (1 + e)) + (1 + e); the traces of S and R stay without eps
    double expected = 2 + 2 - 2 * (2 * Math.sqrt(e * (1 + e)) + 1 + e);
    assertThat(r.epsRetry()).isTrue();
    assertThat(r.value()).isCloseTo(expected, within(1e-12));
  }

  @Test
  void dimensionsMustAgree() {
    FeatureStatistics a = diag(new float[] {0, 0}, 1, 1);
    FeatureStatistics b = diag(new float[] {0}, 1);
    assertThatThrownBy(() -> FrechetDistance.compute(a, b))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2").hasMessageContaining("1");
  }
}
