package io.github.argrpo.eval.imagenet.adm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Means and covariances: hand-worked, and streamed in pieces against a plain two-pass float64 loop. */
class MomentAccumulatorTest {

  @Test
  void handWorkedThreeRows() {
    // x = (1, 3, 5): mean 3, var 8 / 2 = 4; y = (2, 4, 9): mean 5, var 26 / 2 = 13; cov = 14 / 2 = 7
    FeatureStatistics s = MomentAccumulator.of(new float[] {1, 2, 3, 4, 5, 9}, 3, 2);
    assertThat(s.mu()).containsExactly(3f, 5f);
    assertThat(s.sigma()).containsExactly(new double[] {4, 7, 7, 13}, offset(1e-12));
    assertThat(s.count()).isEqualTo(3);
  }

  @Test
  void streamingInBatchesMatchesATwoPassLoop() {
    int n = 2500;
    int d = 3;
    float[] x = new float[n * d];
    Random r = new Random(5);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (10 + r.nextGaussian());
    }
    MomentAccumulator acc = new MomentAccumulator(d);
    float[] first = Arrays.copyOfRange(x, 0, 7 * d);
    float[] rest = Arrays.copyOfRange(x, 7 * d, x.length);
    acc.add(first, 7);
    acc.add(rest, n - 7);
    FeatureStatistics s = acc.statistics();
    double[] mean = new double[d];
    float[] mean32 = new float[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        mean[j] += x[i * d + j];
        mean32[j] += x[i * d + j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= n;
      mean32[j] /= n;
    }
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        double c = 0;
        for (int i = 0; i < n; i++) {
          c += (x[i * d + a] - mean[a]) * (x[i * d + b] - mean[b]);
        }
        assertThat(s.sigma()[a * d + b]).isCloseTo(c / (n - 1), offset(1e-12));
      }
    }
    assertThat(s.mu()).containsExactly(mean32); // float32 running sum in row order, then / N in float32
  }
}
