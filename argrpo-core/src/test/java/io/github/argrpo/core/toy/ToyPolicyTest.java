package io.github.argrpo.core.toy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.policy.LogProbSource;
import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.policy.SamplingConfig;

/** The toy policy honours the Policy contract. */
class ToyPolicyTest {

  private static float[] floats(Tensor t) {
    Tensor c = t.contiguous();
    float[] out = new float[(int) c.numel()];
    new FloatPointer(c.data_ptr_float()).get(out);
    return out;
  }

  @Test
  void teacherForcedLogProbsEqualSamplingLogProbsWithoutFiltering() {
    try (ToyPolicy p = new ToyPolicy(4, 6, 5, 1);
        Rollouts r = p.sample(List.of(Condition.ofClass(1), Condition.ofClass(3)), 3, SamplingConfig.plain().withSeed(9));
        NoGradGuard ng = new NoGradGuard();
        PointerScope s = new PointerScope()) {
      Tensor lp = p.tokenLogProbs(r.sampleConditions(), r.tokens(), LogProbSource.CONDITIONAL, r.samplingConfig());
      float[] a = floats(lp);
      float[] b = floats(r.samplingLogProbs());
      for (int i = 0; i < a.length; i++) {
        assertThat(a[i]).isCloseTo(b[i], within(1e-5f));
      }
    }
  }

  @Test
  void guidedLogProbsEqualSamplingLogProbsUnderGuidance() {
    SamplingConfig cfg = SamplingConfig.plain().withCfgScale(3.0).withSeed(4);
    try (ToyPolicy p = new ToyPolicy(4, 6, 5, 2);
        Rollouts r = p.sample(List.of(Condition.ofClass(0)), 4, cfg);
        NoGradGuard ng = new NoGradGuard();
        PointerScope s = new PointerScope()) {
      float[] a = floats(p.tokenLogProbs(r.sampleConditions(), r.tokens(), LogProbSource.GUIDED, cfg));
      float[] b = floats(r.samplingLogProbs());
      for (int i = 0; i < a.length; i++) {
        assertThat(a[i]).isCloseTo(b[i], within(1e-5f));
      }
      float[] c = floats(p.tokenLogProbs(r.sampleConditions(), r.tokens(), LogProbSource.CONDITIONAL, cfg));
      assertThat(c).isNotEqualTo(a);
    }
  }

  @Test
  void samplesAreSeededAndIndependentOfTheRestOfTheBatch() {
    try (ToyPolicy p = new ToyPolicy(4, 8, 6, 3)) {
      SamplingConfig cfg = SamplingConfig.arGrpo().withSeed(11);
      try (Rollouts a = p.sample(List.of(Condition.ofClass(2)), 4, cfg);
          Rollouts b = p.sample(List.of(Condition.ofClass(2), Condition.ofClass(1)), 4, cfg);
          Rollouts c = p.sample(List.of(Condition.ofClass(2)), 4, cfg.withSeed(12))) {
        long[][] ta = a.tokensAsArray();
        long[][] tb = b.tokensAsArray();
        for (int i = 0; i < 4; i++) {
          assertThat(tb[i]).containsExactly(ta[i]);
        }
        assertThat(c.tokensAsArray()).isNotEqualTo(ta);
      }
    }
  }

  @Test
  void frozenCopyIsIndependentAndHasNoGradient() {
    try (ToyPolicy p = new ToyPolicy(2, 3, 4, 5); Policy ref = p.frozenCopy()) {
      assertThat(ref.trainableParameters()).allMatch(t -> !t.requires_grad());
      try (NoGradGuard ng = new NoGradGuard()) {
        p.trainableParameters().get(0).add_(new Scalar(1.0));
      }
      assertThat(floats(ref.namedParameters().get("table"))).isNotEqualTo(floats(p.namedParameters().get("table")));
    }
  }

  @Test
  void rejectsConditionsItCannotHandle() {
    try (ToyPolicy p = new ToyPolicy(2, 3, 4, 5)) {
      assertThatThrownBy(() -> p.sample(List.of(Condition.ofClass(2)), 2, SamplingConfig.plain()))
          .hasMessageContaining("class 2 out of range [0, 2)");
      assertThatThrownBy(() -> p.sample(List.of(Condition.ofText("a cat")), 2, SamplingConfig.plain()))
          .hasMessageContaining("class-conditional");
    }
  }

  @Test
  void cfgIntervalGuidesThePrefillTokenAndDecodeIterationsUpToTheInterval() {
    // LlamaGen: the prefill token is always guided; decode iteration i (token i + 1) while i <= cfg_interval
    SamplingConfig c = SamplingConfig.plain().withCfgScale(2.0).toBuilder().cfgInterval(1).build();
    assertThat(c.guidedAt(0)).isTrue();
    assertThat(c.guidedAt(1)).isTrue();
    assertThat(c.guidedAt(2)).isTrue();
    assertThat(c.guidedAt(3)).isFalse();
    assertThat(SamplingConfig.plain().guidedAt(0)).isFalse();
    SamplingConfig interval = c.withSeed(5);
    try (ToyPolicy p = new ToyPolicy(3, 6, 5, 8);
        Rollouts r = p.sample(List.of(Condition.ofClass(1)), 4, interval);
        NoGradGuard ng = new NoGradGuard();
        PointerScope s = new PointerScope()) {
      float[] a = floats(p.tokenLogProbs(r.sampleConditions(), r.tokens(), LogProbSource.GUIDED, interval));
      float[] b = floats(r.samplingLogProbs());
      for (int i = 0; i < a.length; i++) {
        assertThat(a[i]).isCloseTo(b[i], within(1e-5f));
      }
    }
  }
}
