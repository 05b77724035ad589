package io.github.argrpo.core.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Random;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.runtime.NativeRuntime;

/**
 * Properties of the clipped surrogate (eq. 4-5), the k3 KL (eq. 6) and the aggregations, on libtorch,
 * checked against the plain-Java {@link GrpoReference} and against hand-worked values.
 */
class GrpoLossPropertyTest {

  @BeforeAll
  static void init() {
    NativeRuntime.init();
  }

  private static Tensor t2(double[][] a) {
    int n = a.length;
    int l = a[0].length;
    double[] flat = new double[n * l];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], 0, flat, i * l, l);
    }
    return Tensor.create(flat, n, l);
  }

  private static double[] values(Tensor t) {
    Tensor c = t.to(ScalarType.Double).contiguous();
    double[] out = new double[(int) c.numel()];
    new DoublePointer(c.data_ptr_double()).get(out);
    return out;
  }

  private static double[][] randomLogp(Random r, int n, int l, double scale) {
    double[][] x = new double[n][l];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < l; t++) {
        x[i][t] = -Math.abs(r.nextGaussian() * scale) - 0.01;
      }
    }
    return x;
  }

  @Test
  void k3IsNonNegativeAndZeroExactlyWhenEqual() {
    qt().forAll(doubles().between(-60, 0), doubles().between(-60, 0)).checkAssert((lp, ref) -> {
      double k = KlK3.of(lp, ref);
      assertThat(k).isGreaterThanOrEqualTo(0.0);
      if (lp.equals(ref)) {
        assertThat(k).isEqualTo(0.0);
      } else if (Math.abs(lp - ref) > 1e-6) {
        assertThat(k).isGreaterThan(0.0);
      }
      try (PointerScope s = new PointerScope()) {
        double kt = values(KlK3.perToken(Tensor.create(new double[] {lp}, 1), Tensor.create(new double[] {ref}, 1)))[0];
        assertThat(kt).isGreaterThanOrEqualTo(0.0).isCloseTo(k, within(1e-12 * (1 + k)));
        double same = values(KlK3.perToken(Tensor.create(new double[] {lp}, 1), Tensor.create(new double[] {lp}, 1)))[0];
        assertThat(same).isEqualTo(0.0);
      }
    });
  }

  @Test
  void k3DoesNotOverflowForFloat32Inputs() {
    try (PointerScope s = new PointerScope()) {
      // d = 0 - (-100) ... ref much more likely than policy: exp(100) overflows float32 but not float64
      Tensor lp = Tensor.create(new float[] {-100f, -1e-3f}, 2);
      Tensor ref = Tensor.create(new float[] {0f, -50f}, 2);
      double[] k = values(KlK3.perToken(lp, ref));
      assertThat(k[0]).isFinite().isCloseTo(Math.exp(100) - 101, within(Math.exp(100) * 1e-12));
      assertThat(k[1]).isCloseTo(Math.exp(-49.999) + 49.999 - 1, within(1e-4));
    }
  }

  @Test
  void k3MeanOverSamplesFromPolicyConvergesToExactKl() {
    qt().withExamples(10).forAll(longs().between(1, 1_000_000)).checkAssert(seed -> {
      Random r = new Random(seed);
      int k = 2 + r.nextInt(5);
      double[] p = softmax(r, k);
      double[] q = softmax(r, k);
      double exact = 0;
      for (int i = 0; i < k; i++) {
        exact += p[i] * Math.log(p[i] / q[i]);
      }
      int samples = 200_000;
      double sum = 0;
      double sumSq = 0;
      for (int s = 0; s < samples; s++) {
        int i = draw(r, p);
        double v = KlK3.of(Math.log(p[i]), Math.log(q[i]));
        sum += v;
        sumSq += v * v;
      }
      double mean = sum / samples;
      double se = Math.sqrt(Math.max(sumSq / samples - mean * mean, 0) / samples);
      assertThat(mean).isCloseTo(exact, within(6 * se + 1e-9));
    });
  }

  private static double[] softmax(Random r, int k) {
    double[] z = new double[k];
    double s = 0;
    for (int i = 0; i < k; i++) {
      z[i] = Math.exp(r.nextGaussian());
      s += z[i];
    }
    for (int i = 0; i < k; i++) {
      z[i] /= s;
    }
    return z;
  }

  private static int draw(Random r, double[] p) {
    double u = r.nextDouble();
    for (int i = 0; i < p.length; i++) {
      u -= p[i];
      if (u < 0) {
        return i;
      }
    }
    return p.length - 1;
  }

  @Test
  void surrogateEqualsRatioTimesAdvantageInsideTheClipRange() {
    qt().forAll(doubles().between(-0.18, 0.18), doubles().between(-5, 5)).checkAssert((logRatio, a) -> {
      try (PointerScope s = new PointerScope()) {
        Tensor lp = Tensor.create(new double[] {-1.0 + logRatio}, 1, 1);
        Tensor old = Tensor.create(new double[] {-1.0}, 1, 1);
        ClippedSurrogate.Terms t = ClippedSurrogate.perToken(lp, old, Tensor.create(new double[] {a}, 1), 0.2, 0.2, Double.NaN);
        double ratio = Math.exp(logRatio);
        // |log r| < 0.18 keeps r inside [0.8, 1.2]: no clipping, so the loss is -r * A
        assertThat(values(t.loss())[0]).isCloseTo(-ratio * a, within(1e-12));
        assertThat(values(t.clippedLow().to(ScalarType.Double))[0]).isEqualTo(0.0);
        assertThat(values(t.clippedHigh().to(ScalarType.Double))[0]).isEqualTo(0.0);
      }
    });
  }

  @Test
  void gradientVanishesWhenClippedOnTheSideTheAdvantagePushes() {
    qt().forAll(doubles().between(0.25, 3), doubles().between(0.01, 5), integers().between(0, 1)).checkAssert((mag, a, side) -> {
      // side 0: ratio above 1 + eps with A > 0; side 1: ratio below 1 - eps with A < 0
      double logRatio = side == 0 ? mag : -mag;
      double adv = side == 0 ? a : -a;
      try (PointerScope s = new PointerScope()) {
        Tensor lp = Tensor.create(new double[] {-2.0 + logRatio}, 1, 1).set_requires_grad(true);
        Tensor old = Tensor.create(new double[] {-2.0}, 1, 1);
        ClippedSurrogate.Terms t = ClippedSurrogate.perToken(lp, old, Tensor.create(new double[] {adv}, 1), 0.2, 0.2, Double.NaN);
        t.loss().sum().backward();
        assertThat(values(lp.grad())[0]).isEqualTo(0.0);
        double clipped = side == 0 ? values(t.clippedHigh().to(ScalarType.Double))[0] : values(t.clippedLow().to(ScalarType.Double))[0];
        assertThat(clipped).isEqualTo(1.0);
        // the other side keeps the gradient: same ratio, opposite advantage
        Tensor lp2 = Tensor.create(new double[] {-2.0 + logRatio}, 1, 1).set_requires_grad(true);
        ClippedSurrogate.perToken(lp2, old, Tensor.create(new double[] {-adv}, 1), 0.2, 0.2, Double.NaN).loss().sum().backward();
        assertThat(values(lp2.grad())[0]).isCloseTo(adv * Math.exp(logRatio), within(1e-9));
      }
    });
  }

  @Test
  void atRatioOneThePolicyLossIsMinusTheMeanAdvantageUnderEveryAggregation() {
    qt().withExamples(50).forAll(integers().between(1, 6), integers().between(1, 12), longs().all()).checkAssert((n, l, seed) -> {
      Random r = new Random(seed);
      double[][] lp = randomLogp(r, n, l, 3);
      double[] adv = new double[n];
      double mean = 0;
      for (int i = 0; i < n; i++) {
        adv[i] = r.nextGaussian();
        mean += adv[i] / n;
      }
      for (LossAggregation agg : LossAggregation.values()) {
        try (PointerScope s = new PointerScope()) {
          GrpoConfig cfg = GrpoConfig.builder().beta(0).lossAggregation(agg).build();
          GrpoLoss.Output o = GrpoLoss.compute(t2(lp), null, null, Tensor.create(adv, n), null, cfg, n, (double) n * l);
          assertThat(o.loss().item_double()).as(agg.name()).isCloseTo(-mean, within(1e-12));
          assertThat(o.ratioMin()).isEqualTo(1.0);
          assertThat(o.ratioMax()).isEqualTo(1.0);
        }
      }
    });
  }

  @Test
  void libtorchEqualsThePlainJavaImplementation() {
    qt().withExamples(60).forAll(integers().between(1, 5), integers().between(1, 9), longs().all(), integers().between(0, 7))
        .checkAssert((n, l, seed, variant) -> {
          Random r = new Random(seed);
          double[][] lp = randomLogp(r, n, l, 2);
          double[][] old = new double[n][l];
          double[][] ref = new double[n][l];
          double[][] mask = new double[n][l];
          for (int i = 0; i < n; i++) {
            for (int t = 0; t < l; t++) {
              old[i][t] = lp[i][t] + r.nextGaussian() * 0.4; // ratios spread across both clip bounds
              ref[i][t] = lp[i][t] + r.nextGaussian();
              mask[i][t] = r.nextDouble() < 0.8 ? 1 : 0;
            }
          }
          double[] adv = new double[n];
          for (int i = 0; i < n; i++) {
            adv[i] = r.nextGaussian();
          }
          LossAggregation agg = LossAggregation.values()[variant % 3];
          boolean useMask = variant >= 3;
          double epsHigh = variant % 2 == 0 ? 0.2 : 0.28;
          double tokens = 0;
          for (double[] row : mask) {
            for (double v : row) {
              tokens += useMask ? v : 1;
            }
          }
          GrpoConfig cfg = GrpoConfig.builder().beta(0.1).epsilonLow(0.2).epsilonHigh(epsHigh).lossAggregation(agg).build();
          double expected = GrpoReference.loss(lp, old, ref, adv, useMask ? mask : null, 0.2, epsHigh, 0.1, agg);
          try (PointerScope s = new PointerScope()) {
            GrpoLoss.Output o = GrpoLoss.compute(t2(lp).to(ScalarType.Float), t2(old).to(ScalarType.Float),
                t2(ref).to(ScalarType.Float), Tensor.create(adv, n), useMask ? t2(mask) : null, cfg, n, tokens);
            // inputs rounded to float32 (as policies produce them): compare at float32 input precision
            double expectedF = GrpoReference.loss(round(lp), round(old), round(ref), adv, useMask ? mask : null, 0.2, epsHigh, 0.1, agg);
            assertThat(o.loss().item_double()).isCloseTo(expectedF, within(1e-9 * (1 + Math.abs(expectedF))));
            assertThat(expectedF).isCloseTo(expected, within(1e-3 * (1 + Math.abs(expected))));
          }
        });
  }

  @Test
  void sequenceLevelRatioEqualsThePlainJavaGspoWithItsGradient() {
    qt().withExamples(40).forAll(integers().between(1, 4), integers().between(1, 7), longs().all(), integers().between(0, 3))
        .checkAssert((n, l, seed, variant) -> {
          Random r = new Random(seed);
          double[][] lp = randomLogp(r, n, l, 2);
          double[][] old = new double[n][l];
          double[][] ref = new double[n][l];
          double[][] mask = new double[n][l];
          for (int i = 0; i < n; i++) {
            for (int t = 0; t < l; t++) {
              old[i][t] = lp[i][t] + r.nextGaussian() * 0.4;
              ref[i][t] = lp[i][t] + r.nextGaussian();
              mask[i][t] = r.nextDouble() < 0.8 ? 1 : 0;
            }
          }
          double[] adv = new double[n];
          for (int i = 0; i < n; i++) {
            adv[i] = r.nextGaussian();
          }
          LossAggregation agg = variant % 2 == 0 ? LossAggregation.BNPO : LossAggregation.GRPO;
          boolean useMask = variant >= 2;
          double[][] m = useMask ? mask : null;
          double tokens = 0;
          for (double[] row : mask) {
            for (double v : row) {
              tokens += useMask ? v : 1;
            }
          }
          GrpoConfig cfg = GrpoConfig.builder().beta(0.1).epsilon(0.2).lossAggregation(agg)
              .importanceSamplingLevel(ImportanceSamplingLevel.SEQUENCE).build();
          double expected = GrpoReference.loss(lp, old, ref, adv, m, 0.2, 0.2, 0.1, agg, true);
          try (PointerScope s = new PointerScope()) {
            Tensor lpT = t2(lp).set_requires_grad(true);
            GrpoLoss.Output o = GrpoLoss.compute(lpT, t2(old), t2(ref), Tensor.create(adv, n), useMask ? t2(mask) : null,
                cfg, n, tokens);
            assertThat(o.loss().item_double()).isCloseTo(expected, within(1e-12 * (1 + Math.abs(expected))));
            // the gradient flows through the sequence mean: compare with a central difference of the plain Java loss
            o.loss().backward();
            double[] grad = values(lpT.grad());
            int i = r.nextInt(n);
            int t = r.nextInt(l);
            double h = 1e-6;
            double[][] up = copy(lp);
            double[][] down = copy(lp);
            up[i][t] += h;
            down[i][t] -= h;
            double numeric = (GrpoReference.loss(up, old, ref, adv, m, 0.2, 0.2, 0.1, agg, true)
                - GrpoReference.loss(down, old, ref, adv, m, 0.2, 0.2, 0.1, agg, true)) / (2 * h);
            assertThat(grad[i * l + t]).isCloseTo(numeric, within(1e-6 * (1 + Math.abs(numeric))));
          }
        });
  }

  @Test
  void sequenceLevelRatioIsTheExpOfTheMeanLogRatioForEveryToken() {
    // hand-worked: log-ratios (0.1, 0.3) -> mean 0.2 -> ratio e^0.2 = 1.2214 on both tokens, clipped at 1.2
    double[][] lp = {{-1.0, -2.0}};
    double[][] old = {{-1.1, -2.3}};
    GrpoConfig cfg = GrpoConfig.builder().beta(0).epsilon(0.2).importanceSamplingLevel(ImportanceSamplingLevel.SEQUENCE)
        .build();
    try (PointerScope s = new PointerScope()) {
      GrpoLoss.Output o = GrpoLoss.compute(t2(lp), t2(old), null, Tensor.create(new double[] {1.0}, 1), null, cfg, 1, 2);
      assertThat(o.ratioMin()).isCloseTo(Math.exp(0.2), within(1e-12));
      assertThat(o.ratioMax()).isCloseTo(Math.exp(0.2), within(1e-12));
      assertThat(o.clippedHigh()).isEqualTo(2.0);
      // positive advantage above 1 + eps: -min(1.2214 * 1, 1.2 * 1) = -1.2 per token
      assertThat(o.loss().item_double()).isCloseTo(-1.2, within(1e-12));
    }
  }

  private static double[][] copy(double[][] a) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].clone();
    }
    return out;
  }

  private static double[][] round(double[][] a) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = new double[a[i].length];
      for (int j = 0; j < a[i].length; j++) {
        out[i][j] = (float) a[i][j];
      }
    }
    return out;
  }

  @Test
  void goldenValuesWorkedByHand() {
    // One sequence of two tokens, A = 1, eps = 0.2, beta = 0.1, bnpo:
    // token 0: logp = log 0.5, old = log 0.25 -> r = 2.0, clipped to 1.2; min(2 * 1, 1.2 * 1) = 1.2 -> -1.2
    //          ref = log 0.25: d = log(0.25 / 0.5) = -ln 2; k3 = 0.5 + ln 2 - 1 = 0.193147181
    // token 1: logp = old = ref = log 0.1 -> r = 1, surrogate -1, k3 = 0
    // loss = ((-1.2 + 0.1 * 0.193147181) + (-1)) / 2 = (-2.2 + 0.0193147181) / 2 = -1.090342641
    try (PointerScope s = new PointerScope()) {
      Tensor lp = Tensor.create(new double[] {Math.log(0.5), Math.log(0.1)}, 1, 2);
      Tensor old = Tensor.create(new double[] {Math.log(0.25), Math.log(0.1)}, 1, 2);
      Tensor ref = Tensor.create(new double[] {Math.log(0.25), Math.log(0.1)}, 1, 2);
      GrpoConfig cfg = GrpoConfig.builder().beta(0.1).epsilon(0.2).lossAggregation(LossAggregation.BNPO).build();
      GrpoLoss.Output o = GrpoLoss.compute(lp, old, ref, Tensor.create(new double[] {1.0}, 1), null, cfg, 1, 2);
      assertThat(o.loss().item_double()).isCloseTo(-1.090342641, within(1e-9));
      assertThat(o.policyLoss()).isCloseTo(-1.1, within(1e-12));
      assertThat(o.klSum()).isCloseTo(0.193147181, within(1e-9));
      assertThat(o.clippedHigh()).isEqualTo(1.0);
      assertThat(o.ratioMax()).isCloseTo(2.0, within(1e-12));
    }
  }

  @Test
  void inputChecks() {
    try (PointerScope s = new PointerScope()) {
      Tensor lp = Tensor.create(new double[] {-1, -2}, 1, 2);
      GrpoConfig cfg = GrpoConfig.builder().beta(0.1).build();
      assertThatThrownBy(() -> GrpoLoss.compute(lp, null, null, Tensor.create(new double[] {1}, 1), null, cfg, 1, 2))
          .hasMessageContaining("needs reference log-probs");
      assertThatThrownBy(() -> GrpoLoss.compute(lp, null, null, Tensor.create(new double[] {1, 2}, 2), null, cfg, 1, 2))
          .hasMessageContaining("one per sequence");
      assertThatThrownBy(() -> GrpoLoss.compute(lp, Tensor.create(new double[] {-1}, 1, 1), null,
          Tensor.create(new double[] {1}, 1), null, GrpoConfig.builder().beta(0).build(), 1, 2)).hasMessageContaining("oldLogp");
    }
    assertThatThrownBy(() -> GrpoConfig.builder().iterations(0).build()).hasMessageContaining("iterations (mu) must be >= 1");
    assertThatThrownBy(() -> GrpoConfig.builder().epsilonLow(1.5).build()).hasMessageContaining("epsilonLow");
    assertThatThrownBy(() -> GrpoConfig.builder().microBatchSize(3).sequencesPerOptimizerStep(8).build())
        .hasMessageContaining("multiple of microBatchSize");
  }
}
