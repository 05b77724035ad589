package io.github.argrpo.core.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.condition.ClassCondition;
import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.policy.LogProbSource;
import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.toy.ToyPolicy;

/** The optimisation phase on the toy policy: it updates, it is finite, it learns, it checks its input. */
class AdamWGrpoOptimizerTest {

  private static final int VOCAB = 6;
  private static final int LENGTH = 8;

  /** Reward: fraction of tokens equal to {@code label % VOCAB}, a target the toy policy can learn. */
  static double[] rewards(Rollouts r) {
    long[][] t = r.tokensAsArray();
    List<Condition> c = r.sampleConditions();
    double[] out = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      int target = ((ClassCondition) c.get(i)).label() % VOCAB;
      for (long tok : t[i]) {
        out[i] += tok == target ? 1.0 / t[i].length : 0;
      }
    }
    return out;
  }

  private static float[] flat(Policy p) {
    List<Float> all = new ArrayList<>();
    for (Tensor t : p.trainableParameters()) {
      Tensor c = t.detach().contiguous();
      float[] f = new float[(int) c.numel()];
      new FloatPointer(c.data_ptr_float()).get(f);
      for (float v : f) {
        all.add(v);
      }
    }
    float[] out = new float[all.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = all.get(i);
    }
    return out;
  }

  private static List<Condition> classes(int... labels) {
    List<Condition> out = new ArrayList<>();
    for (int l : labels) {
      out.add(Condition.ofClass(l));
    }
    return out;
  }

  @Test
  void oneStepChangesTheParametersAndKeepsEverythingFinite() {
    try (ToyPolicy p = new ToyPolicy(4, LENGTH, VOCAB, 1); Policy ref = p.frozenCopy();
        AdamWGrpoOptimizer opt = new AdamWGrpoOptimizer(p, GrpoConfig.builder().learningRate(1e-2).build());
        Rollouts r = p.sample(classes(0, 1, 2, 3), 8, SamplingConfig.arGrpo().withSeed(3))) {
      float[] before = flat(p);
      GrpoStepStats s = opt.step(r, rewards(r), p, ref);
      assertThat(flat(p)).isNotEqualTo(before);
      assertThat(List.of(s.loss(), s.policyLoss(), s.klMean(), s.gradNorm(), s.entropy())).allMatch(Double::isFinite);
      // mu = 1: old log-probs are the detached current ones, the ratio is exactly 1 and nothing clips
      assertThat(s.ratioMean()).isCloseTo(1.0, within(1e-12));
      assertThat(s.clipFractionLow() + s.clipFractionHigh()).isZero();
      // the policy equals the reference before the update: KL exactly 0
      assertThat(s.klMean()).isEqualTo(0.0);
      assertThat(s.advantageMean()).isCloseTo(0.0, within(1e-9));
      assertThat(s.optimizerSteps()).isEqualTo(1);
      assertThat(s.toMetrics()).containsKeys("loss", "kl", "clip_fraction", "ratio_mean", "entropy", "grad_norm");
    }
  }

  @Test
  void severalPassesReuseTheBatchWithRatiosAwayFromOne() {
    GrpoConfig cfg = GrpoConfig.builder().iterations(3).learningRate(0.5).beta(0.0).sequencesPerOptimizerStep(8).build();
    try (ToyPolicy p = new ToyPolicy(2, LENGTH, VOCAB, 2); AdamWGrpoOptimizer opt = new AdamWGrpoOptimizer(p, cfg);
        Rollouts r = p.sample(classes(0, 1), 8, SamplingConfig.arGrpo().withSeed(5))) {
      GrpoStepStats s = opt.step(r, rewards(r), p, null);
      assertThat(s.optimizerSteps()).isEqualTo(6);
      assertThat(s.ratioMax()).isGreaterThan(1.0 + 1e-6);
      assertThat(s.ratioMin()).isLessThan(1.0 - 1e-6);
      assertThat(s.clipFractionLow() + s.clipFractionHigh()).isGreaterThan(0.0);
      assertThat(s.klMean()).isNaN();
    }
  }

  private static double[] noGradLogProbs(Policy p, List<Condition> conds, Tensor tokens) {
    try (PointerScope s = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      Tensor lp = p.tokenLogProbs(conds, tokens, LogProbSource.CONDITIONAL, SamplingConfig.plain())
          .to(ScalarType.Double).contiguous();
      double[] out = new double[(int) lp.numel()];
      new DoublePointer(lp.data_ptr_double()).get(out);
      return out;
    }
  }

  /**
   * One pass (mu = 1) but two optimizer steps per batch: the second step trains on samples of a policy
   * that has moved, so its ratio is exp(logp_now - logp_sampling) (TRL computes the old log-probs in
   * this case), not the 1 of {@code logp.detach()}. Expected ratios come from log-probs taken
   * independently: the sampling policy before the phase, and a twin that took only the first step.
   */
  @Test
  void laterOptimizerStepsOfOneBatchUseTheSamplingPolicysLogProbs() {
    GrpoConfig twoSteps = GrpoConfig.builder().beta(0).learningRate(1e-2).maxGradNorm(0).sequencesPerOptimizerStep(4)
        .build();
    double[] adv = {1.0, -1.0, 0.5, -0.5, 0.8, -0.2, -0.3, -0.3};
    double[] rw = new double[8];
    try (ToyPolicy p = new ToyPolicy(2, LENGTH, VOCAB, 4); ToyPolicy twin = new ToyPolicy(2, LENGTH, VOCAB, 4);
        AdamWGrpoOptimizer opt = new AdamWGrpoOptimizer(p, twoSteps);
        AdamWGrpoOptimizer twinOpt = new AdamWGrpoOptimizer(twin, twoSteps);
        Rollouts r = p.sample(classes(0, 1), 4, SamplingConfig.arGrpo().withSeed(9))) {
      List<Condition> conds = r.sampleConditions();
      double[] old = noGradLogProbs(p, conds, r.tokens());
      GrpoStepStats s = opt.optimize(r, adv, rw, 0, p, null);
      assertThat(s.optimizerSteps()).isEqualTo(2);

      // the twin takes the first optimizer step alone (the first group: rows 0-3)
      try (Rollouts first = new Rollouts(r.groupConditions().subList(0, 1), 4, r.tokens().narrow(0, 0, 4), null, null,
          r.samplingConfig())) {
        twinOpt.optimize(first, Arrays.copyOf(adv, 4), new double[4], 0, twin, null);
      }
      double[] afterFirst = noGradLogProbs(twin, conds.subList(4, 8), r.tokens().narrow(0, 4, 4));
      double sum = 4 * LENGTH; // the first step sees the sampling policy itself: ratio 1 on its tokens
      double min = 1;
      double max = 1;
      for (int k = 0; k < afterFirst.length; k++) {
        double ratio = Math.exp(afterFirst[k] - old[4 * LENGTH + k]);
        sum += ratio;
        min = Math.min(min, ratio);
        max = Math.max(max, ratio);
      }
      assertThat(max - min).as("the second step's ratios depart from 1").isGreaterThan(1e-4);
      assertThat(s.ratioMin()).isCloseTo(min, within(1e-9));
      assertThat(s.ratioMax()).isCloseTo(max, within(1e-9));
      assertThat(s.ratioMean()).isCloseTo(sum / (8 * LENGTH), within(1e-9));
    }
  }

  @Test
  void microBatchesAccumulateToTheSameUpdateAsOneBatch() {
    GrpoConfig whole = GrpoConfig.builder().learningRate(1e-2).maxGradNorm(0).build();
    GrpoConfig micro = whole.toBuilder().microBatchSize(4).build();
    try (ToyPolicy a = new ToyPolicy(3, LENGTH, VOCAB, 7); ToyPolicy b = new ToyPolicy(3, LENGTH, VOCAB, 7);
        Policy refA = a.frozenCopy(); Policy refB = b.frozenCopy();
        AdamWGrpoOptimizer oa = new AdamWGrpoOptimizer(a, whole); AdamWGrpoOptimizer ob = new AdamWGrpoOptimizer(b, micro);
        Rollouts r = a.sample(classes(0, 1, 2), 4, SamplingConfig.arGrpo().withSeed(1))) {
      double[] rw = rewards(r);
      GrpoStepStats sa = oa.step(r, rw, a, refA);
      GrpoStepStats sb = ob.step(r, rw, b, refB);
      assertThat(sb.loss()).isCloseTo(sa.loss(), within(1e-9));
      assertThat(sb.gradNorm()).isCloseTo(sa.gradNorm(), within(1e-5));
      float[] fa = flat(a);
      float[] fb = flat(b);
      for (int i = 0; i < fa.length; i++) {
        assertThat(fb[i]).isCloseTo(fa[i], within(1e-6f));
      }
    }
  }

  @Test
  void theToyPolicyLearnsTheReward() {
    GrpoConfig cfg = GrpoConfig.builder().learningRate(0.05).beta(0.01).build();
    try (ToyPolicy p = new ToyPolicy(4, LENGTH, VOCAB, 3); Policy ref = p.frozenCopy();
        AdamWGrpoOptimizer opt = new AdamWGrpoOptimizer(p, cfg)) {
      double first = 0;
      double last = 0;
      for (int step = 0; step < 40; step++) {
        try (Rollouts r = p.sample(classes(0, 1, 2, 3), 8, SamplingConfig.arGrpo().withSeed(100 + step))) {
          GrpoStepStats s = opt.step(r, rewards(r), p, ref);
          if (step < 5) {
            first += s.rewardMean() / 5;
          }
          if (step >= 35) {
            last += s.rewardMean() / 5;
          }
        }
      }
      // chance level is 1/6; GRPO should at least double it in 40 steps
      assertThat(first).isLessThan(0.3);
      assertThat(last).isGreaterThan(2 * first).isGreaterThan(0.4);
    }
  }

  @Test
  void rejectsBadInput() {
    try (ToyPolicy p = new ToyPolicy(2, LENGTH, VOCAB, 1);
        AdamWGrpoOptimizer opt = new AdamWGrpoOptimizer(p, GrpoConfig.arGrpoPaper());
        Rollouts r = p.sample(classes(0, 1), 4, SamplingConfig.arGrpo())) {
      assertThatThrownBy(() -> opt.step(r, new double[7], p, p)).hasMessageContaining("7 rewards for 8 rollouts");
      assertThatThrownBy(() -> opt.step(r, new double[8], p, null)).hasMessageContaining("needs a reference policy");
      double[] bad = new double[8];
      bad[5] = Double.NaN;
      assertThatThrownBy(() -> opt.step(r, bad, p, p)).hasMessageContaining("sample 5");
    }
    try (ToyPolicy p = new ToyPolicy(2, LENGTH, VOCAB, 1);
        AdamWGrpoOptimizer opt = new AdamWGrpoOptimizer(p, GrpoConfig.arGrpoPaper());
        Rollouts r = p.sample(classes(0, 1), 1, SamplingConfig.arGrpo())) {
      assertThatThrownBy(() -> opt.step(r, new double[2], p, p)).hasMessageContaining("groupSize must be >= 2");
    }
  }

  @Test
  void paperPresetHasThePaperValues() {
    GrpoConfig c = GrpoConfig.arGrpoPaper();
    assertThat(c.beta()).isEqualTo(0.1);
    assertThat(c.epsilonLow()).isEqualTo(0.2);
    assertThat(c.epsilonHigh()).isEqualTo(0.2);
    assertThat(c.iterations()).isEqualTo(1);
    assertThat(c.learningRate()).isEqualTo(1e-5);
    assertThat(new double[] {c.adamBeta1(), c.adamBeta2()}).containsExactly(0.9, 0.95);
    assertThat(c.weightDecay()).isEqualTo(0.05);
    assertThat(c.advantages()).isEqualTo(AdvantageConfig.trl());
  }
}
