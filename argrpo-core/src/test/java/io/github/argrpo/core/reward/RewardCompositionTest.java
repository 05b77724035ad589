package io.github.argrpo.core.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;

/** Scaling, the AR-GRPO quantization and weighted sums (Appendix D). */
class RewardCompositionTest {

  /** A reward returning fixed scores, with a diagnostic component. */
  private static RewardFunction fixed(String name, double... scores) {
    return new RewardFunction() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
        Map<String, double[]> c = new LinkedHashMap<>();
        c.put(name, scores.clone());
        c.put(name + "/unreadable", new double[scores.length]);
        return new RewardResult(scores, c);
      }
    };
  }

  private static ImageBatch images(int n) {
    return ImageBatch.fromArray(new float[n * 3 * 2 * 2], n, 2, 2);
  }

  private static List<Condition> conds(int n) {
    return Collections.nCopies(n, Condition.ofClass(0));
  }

  @Test
  void theArGrpoQuantizationMapsEachStep() {
    QuantizedReward q = QuantizedReward.arGrpo(fixed("clip", 0), "clip_quantize");
    // below 0 -> -1; [0, 0.3) -> 0.5; [0.3, 0.6) -> 1; [0.6, 1) -> 1.5; 1 and above -> 1.5 (defined here,
    // an IndexError in the reference)
    assertThat(q.map(-0.01)).isEqualTo(-1.0);
    assertThat(q.map(0.0)).isEqualTo(0.5);
    assertThat(q.map(0.2999)).isEqualTo(0.5);
    assertThat(q.map(0.3)).isEqualTo(1.0);
    assertThat(q.map(0.5999)).isEqualTo(1.0);
    assertThat(q.map(0.6)).isEqualTo(1.5);
    assertThat(q.map(0.9999)).isEqualTo(1.5);
    assertThat(q.map(1.0)).isEqualTo(1.5);
    assertThat(q.map(Double.NaN)).isNaN();
    qt().forAll(doubles().between(-2, 2), doubles().between(-2, 2)).check((a, b) -> a > b ? q.map(a) >= q.map(b) : q.map(a) <= q.map(b));
  }

  @Test
  void scaledAndQuantizedKeepTheInnerDiagnostics() {
    try (ImageBatch im = images(2)) {
      RewardResult s = Rewards.scaled(fixed("clip", 0.2, 0.7), 5, "clip5").score(im, conds(2));
      assertThat(s.scores()).containsExactly(1.0, 3.5);
      assertThat(s.components()).containsOnlyKeys("clip/unreadable", "clip5");
      RewardResult q = Rewards.arGrpoQuantized(fixed("clip", 0.2, 0.7), "clipq").score(im, conds(2));
      assertThat(q.scores()).containsExactly(0.5, 1.5);
    }
  }

  @Test
  void theWeightedSumSkipsNaNPartsLikeNansum() {
    RewardFunction a = fixed("a", 1.0, Double.NaN, Double.NaN);
    RewardFunction b = fixed("b", 2.0, 4.0, Double.NaN);
    Map<RewardFunction, Double> w = new LinkedHashMap<>();
    w.put(a, 0.5);
    w.put(b, 2.0);
    try (ImageBatch im = images(3); RewardFunction sum = Rewards.weightedSum(w)) {
      RewardResult r = sum.score(im, conds(3));
      // 0.5 * 1 + 2 * 2 = 4.5; NaN part skipped: 2 * 4 = 8; all parts NaN: NaN
      assertThat(r.score(0)).isEqualTo(4.5);
      assertThat(r.score(1)).isEqualTo(8.0);
      assertThat(r.score(2)).isNaN();
      assertThat(r.components()).containsKeys("a", "b", "a/unreadable");
    }
  }

  @Test
  void badCompositionsAreRejected() {
    assertThatThrownBy(() -> new WeightedSumReward(List.of(new WeightedSumReward.Part(fixed("x", 1), 1),
        new WeightedSumReward.Part(fixed("x", 2), 1)), "total")).hasMessageContaining("'x' appears twice");
    assertThatThrownBy(() -> new QuantizedReward(fixed("x", 1), new double[] {0, 0}, new double[] {1, 2}, 3, "q"))
        .hasMessageContaining("increase strictly");
    assertThatThrownBy(() -> Rewards.scaled(fixed("x", 1), Double.NaN, "s")).hasMessageContaining("finite");
    assertThatThrownBy(() -> Rewards.scaled(fixed("x", 1), 2, "bad name")).hasMessageContaining("reward name");
    try (ImageBatch im = images(2)) {
      assertThatThrownBy(() -> new WeightedSumReward(List.of(new WeightedSumReward.Part(fixed("x", 1, 2), 1)), "t")
          .score(im, conds(3))).hasMessageContaining("2 images but 3 conditions");
    }
  }
}
