package io.github.argrpo.core.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Properties of eq. 3 (group advantages) over generated reward batches, with shrinking. */
class GroupAdvantagesPropertyTest {

  /** A batch: group size G in [2, 9], 1-4 groups, rewards in [-50, 50] rounded to 1e-3 so ties happen. */
  private static Gen<double[]> batches(int groupSize) {
    return lists().of(doubles().between(-50, 50).map(d -> Math.round(d * 1000) / 1000.0))
        .ofSizeBetween(groupSize, 4 * groupSize)
        .map(l -> {
          int n = (l.size() / groupSize) * groupSize;
          double[] r = new double[n];
          for (int i = 0; i < n; i++) {
            r[i] = l.get(i);
          }
          return r;
        });
  }

  private static final AdvantageConfig NO_EPS = new AdvantageConfig(AdvantageScaling.GROUP, true, 0.0);

  @Test
  void eachGroupHasMeanZeroAndUnitStdWhenNotDegenerate() {
    qt().forAll(integers().between(2, 9)).checkAssert(g ->
        qt().withExamples(20).forAll(batches(g)).checkAssert(r -> {
          for (AdvantageConfig cfg : List.of(AdvantageConfig.trl(), NO_EPS,
              new AdvantageConfig(AdvantageScaling.GROUP, false, 0.0))) {
            double[] a = GroupAdvantages.compute(r, g, cfg);
            for (int k = 0; k < r.length; k += g) {
              assertThat(GroupAdvantages.mean(a, k, g)).isCloseTo(0.0, within(1e-9));
              double rawStd = GroupAdvantages.std(r, k, g, cfg.unbiasedStd());
              if (rawStd > 1e-3) {
                // std(A) = std(r) / (std(r) + eps): exactly 1 with eps = 0
                double expected = rawStd / (rawStd + cfg.epsilon());
                assertThat(GroupAdvantages.std(a, k, g, cfg.unbiasedStd())).isCloseTo(expected, within(1e-9));
              }
            }
          }
        }));
  }

  @Test
  void invariantUnderPositiveAffineMaps() {
    qt().forAll(batches(4), doubles().between(0.01, 100), doubles().between(-1000, 1000)).checkAssert((r, a, b) -> {
      double[] mapped = new double[r.length];
      for (int i = 0; i < r.length; i++) {
        mapped[i] = a * r[i] + b;
      }
      double[] x = GroupAdvantages.compute(r, 4, NO_EPS);
      double[] y = GroupAdvantages.compute(mapped, 4, NO_EPS);
      for (int i = 0; i < r.length; i++) {
        // eps = 0 makes the invariance exact up to rounding; degenerate groups give zeros on both sides
        assertThat(y[i]).isCloseTo(x[i], within(1e-6 * (1 + Math.abs(x[i]))));
      }
    });
  }

  @Test
  void permutationEquivariantWithinAGroup() {
    qt().forAll(batches(5), integers().all()).checkAssert((r, seed) -> {
      double[] a = GroupAdvantages.compute(r, 5, AdvantageConfig.trl());
      List<Integer> idx = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        idx.add(i);
      }
      Collections.shuffle(idx, new Random(seed));
      double[] p = r.clone();
      for (int i = 0; i < 5; i++) {
        p[i] = r[idx.get(i)];
      }
      double[] ap = GroupAdvantages.compute(p, 5, AdvantageConfig.trl());
      for (int i = 0; i < 5; i++) {
        assertThat(ap[i]).isCloseTo(a[idx.get(i)], within(1e-12));
      }
    });
  }

  @Test
  void equalRewardsGiveZerosNeverNaN() {
    qt().forAll(doubles().between(-1e6, 1e6), integers().between(2, 16)).checkAssert((v, g) -> {
      double[] r = new double[g * 2];
      Arrays.fill(r, v);
      for (AdvantageConfig cfg : List.of(AdvantageConfig.trl(), NO_EPS, AdvantageConfig.drGrpo(),
          new AdvantageConfig(AdvantageScaling.BATCH, false, 0.0))) {
        assertThat(GroupAdvantages.compute(r, g, cfg)).containsOnly(0.0);
      }
      assertThat(GroupAdvantages.zeroStdFraction(r, g)).isEqualTo(1.0);
    });
  }

  @Test
  void goldenValuesWorkedByHand() {
    // Group [1, 2, 3, 6]: mean = 3; deviations -2, -1, 0, 3; sum of squares 4 + 1 + 0 + 9 = 14;
    // unbiased std = sqrt(14 / 3) = 2.160246899...; A = dev / (2.160246899 + 1e-4)
    //   = -2 / 2.160346899 = -0.925777..., -1 / 2.160346899 = -0.462889..., 0, 3 / 2.160346899 = 1.388666...
    double[] a = GroupAdvantages.compute(new double[] {1, 2, 3, 6}, 4, AdvantageConfig.trl());
    assertThat(a[0]).isCloseTo(-2 / (Math.sqrt(14.0 / 3) + 1e-4), within(1e-15));
    assertThat(a[0]).isCloseTo(-0.9257772, within(1e-6));
    assertThat(a[1]).isCloseTo(-0.4628886, within(1e-6));
    assertThat(a[2]).isEqualTo(0.0);
    assertThat(a[3]).isCloseTo(1.3886658, within(1e-6));
    // Population std: sqrt(14 / 4) = 1.870828693; A_3 = 3 / 1.870828693 = 1.603567451 (eps 0)
    double[] p = GroupAdvantages.compute(new double[] {1, 2, 3, 6}, 4, new AdvantageConfig(AdvantageScaling.GROUP, false, 0));
    assertThat(p[3]).isCloseTo(1.603567451, within(1e-9));
    // Dr. GRPO: just the centred rewards
    assertThat(GroupAdvantages.compute(new double[] {1, 2, 3, 6}, 4, AdvantageConfig.drGrpo())).containsExactly(-2, -1, 0, 3);
    // Batch std over two groups [0, 2 | 10, 14]: centred -1, 1, -2, 2 per group; batch values 0, 2, 10, 14 have
    // mean 6.5, squares 42.25 + 20.25 + 12.25 + 56.25 = 131, unbiased std sqrt(131 / 3) = 6.608075867
    double[] b = GroupAdvantages.compute(new double[] {0, 2, 10, 14}, 2, new AdvantageConfig(AdvantageScaling.BATCH, true, 0));
    assertThat(b[0]).isCloseTo(-1 / 6.608075867, within(1e-9));
    assertThat(b[3]).isCloseTo(2 / 6.608075867, within(1e-9));
  }

  @Test
  void inputChecksNameTheProblem() {
    assertThatThrownBy(() -> GroupAdvantages.compute(new double[] {1, 2}, 1, AdvantageConfig.trl()))
        .hasMessageContaining("groupSize must be >= 2");
    assertThatThrownBy(() -> GroupAdvantages.compute(new double[] {1, 2, 3}, 2, AdvantageConfig.trl()))
        .hasMessageContaining("whole number of groups").hasMessageContaining("3 rewards");
    assertThatThrownBy(() -> GroupAdvantages.compute(new double[] {1, 2, Double.NaN, 4}, 2, AdvantageConfig.trl()))
        .hasMessageContaining("sample 2").hasMessageContaining("group 1").hasMessageContaining("NaN");
    assertThatThrownBy(() -> GroupAdvantages.compute(new double[] {1, Double.POSITIVE_INFINITY}, 2, AdvantageConfig.trl()))
        .hasMessageContaining("sample 1").hasMessageContaining("Infinity");
    assertThatThrownBy(() -> GroupAdvantages.compute(new double[0], 2, AdvantageConfig.trl()))
        .hasMessageContaining("whole number of groups");
  }
}
