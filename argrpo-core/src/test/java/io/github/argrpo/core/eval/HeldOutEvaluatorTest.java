package io.github.argrpo.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.argrpo.core.condition.ClassCondition;
import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;
import io.github.argrpo.core.toy.PaletteTokenizer;
import io.github.argrpo.core.toy.ToyPolicy;

class HeldOutEvaluatorTest {

  /** Records what it is shown; its value is the number of images seen per class, as a check. */
  private static final class Recorder implements ImageMetric {
    final List<Integer> labels = new ArrayList<>();
    final List<float[]> pixels = new ArrayList<>();
    int resets;

    @Override
    public String name() {
      return "recorder";
    }

    @Override
    public void update(ImageBatch images, List<? extends Condition> conditions) {
      assertThat(conditions).hasSize(images.count());
      for (int i = 0; i < images.count(); i++) {
        labels.add(((ClassCondition) conditions.get(i)).label());
        pixels.add(images.pixels(i));
      }
    }

    @Override
    public Map<String, Double> compute() {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("images", (double) labels.size());
      return m;
    }

    @Override
    public void reset() {
      labels.clear();
      pixels.clear();
      resets++;
    }
  }

  @Test
  void everyHeldOutConditionIsSampledGroupByGroupWithTheSameNoiseAtEveryEvaluation() {
    List<Condition> heldOut = List.of(Condition.ofClass(2), Condition.ofClass(0), Condition.ofClass(3));
    Recorder rec = new Recorder();
    try (ToyPolicy p = new ToyPolicy(4, 16, 6, 1); PaletteTokenizer tok = new PaletteTokenizer(6, 2)) {
      // chunk 2: two sampling passes (classes {2, 0}, then {3}); 3 images each
      HeldOutEvaluator ev = new HeldOutEvaluator(new EvalConfig(5, 3, 99L, "", false, 2), heldOut, List.of(rec));
      Map<String, Double> first = ev.evaluate(p, tok, SamplingConfig.arGrpo().withSeed(12345));
      assertThat(first).containsExactly(Map.entry("eval/images", 9.0));
      assertThat(rec.labels).containsExactly(2, 2, 2, 0, 0, 0, 3, 3, 3);
      List<float[]> firstPixels = new ArrayList<>(rec.pixels);
      // another sampling seed from the caller does not change the evaluation's draw
      ev.evaluate(p, tok, SamplingConfig.arGrpo().withSeed(777));
      assertThat(rec.resets).isEqualTo(2);
      for (int i = 0; i < firstPixels.size(); i++) {
        assertThat(rec.pixels.get(i)).containsExactly(firstPixels.get(i));
      }
    }
  }

  @Test
  void aRewardBecomesAMetricOfItsMeanScoreAndComponentsLeavingNanOut() {
    RewardFunction r = new RewardFunction() {
      @Override
      public String name() {
        return "toy";
      }

      @Override
      public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
        // scores by class label: 1, NaN, 4 ...; component "half" = label / 2
        double[] s = new double[images.count()];
        double[] half = new double[images.count()];
        for (int i = 0; i < s.length; i++) {
          int l = ((ClassCondition) conditions.get(i)).label();
          s[i] = l == 1 ? Double.NaN : l * l;
          half[i] = l / 2.0;
        }
        return new RewardResult(s, Map.of("half", half));
      }
    };
    try (ImageMetric m = ImageMetric.meanOf(r); ImageBatch b = ImageBatch.fromArray(new float[3 * 3 * 2 * 2], 3, 2, 2)) {
      m.update(b, List.of(Condition.ofClass(0), Condition.ofClass(1), Condition.ofClass(2)));
      m.update(b.slice(0, 1), List.of(Condition.ofClass(4)));
      // scores 0, NaN, 4, 16 -> mean of the three finite ones = 20 / 3; halves 0, 0.5, 1, 2 -> 3.5 / 4
      assertThat(m.compute()).containsExactly(Map.entry("toy", 20.0 / 3), Map.entry("toy/half", 0.875));
      m.reset();
      assertThatThrownBy(m::compute).isInstanceOf(IllegalStateException.class).hasMessageContaining("no images");
    }
  }

  @Test
  void badSettingsAreRefusedWithTheKeyNamed() {
    assertThatThrownBy(() -> new EvalConfig(-1, 4, 0, "", false, 0)).hasMessageContaining("eval.every");
    assertThatThrownBy(() -> new EvalConfig(1, 0, 0, "", false, 0)).hasMessageContaining("eval.samples_per_condition");
    assertThatThrownBy(() -> new HeldOutEvaluator(EvalConfig.off(), List.of(), List.of(new Recorder())))
        .hasMessageContaining("held-out condition set is empty");
    assertThat(new EvalConfig(20, 4, 0, "", false, 0).dueAt(40)).isTrue();
    assertThat(new EvalConfig(20, 4, 0, "", false, 0).dueAt(30)).isFalse();
    assertThat(EvalConfig.off().dueAt(20)).isFalse();
  }
}
