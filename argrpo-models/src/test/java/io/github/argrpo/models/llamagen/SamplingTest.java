package io.github.argrpo.models.llamagen;

import static io.github.argrpo.models.llamagen.TensorAsserts.assertClose;
import static io.github.argrpo.models.llamagen.TensorAsserts.longs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.assertj.core.api.Assertions;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.policy.LogProbSource;
import io.github.argrpo.core.policy.LogitsProcessing;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.runtime.Precision;

class SamplingTest {

  private static LlamaGenPolicy policy;

  @BeforeAll
  static void build() {
    policy = TinyGpt.policy(TinyGpt.c2i(Precision.FP32), 7);
    policy.setTraining(false);
  }

  @AfterAll
  static void close() {
    policy.close();
  }

  private static long[][] sample(List<Condition> conds, int groupSize, SamplingConfig c) {
    try (Rollouts r = policy.sample(conds, groupSize, c)) {
      return r.tokensAsArray();
    }
  }

  @Test
  void aSampleDoesNotDependOnTheRestOfTheBatch() {
    SamplingConfig c = SamplingConfig.arGrpo().withSeed(123);
    long[][] ab = sample(List.of(Condition.ofClass(1), Condition.ofClass(2)), 3, c);
    long[][] ac = sample(List.of(Condition.ofClass(1), Condition.ofClass(9)), 3, c);
    long[][] a = sample(List.of(Condition.ofClass(1)), 3, c);
    for (int m = 0; m < 3; m++) {
      assertThat(ac[m]).as("group 0 member %d with another second group", m).containsExactly(ab[m]);
      assertThat(a[m]).as("group 0 member %d alone", m).containsExactly(ab[m]);
    }
    // members of a group differ from each other, and another seed changes the samples
    assertThat(ab[0]).isNotEqualTo(ab[1]);
    long[][] other = sample(List.of(Condition.ofClass(1), Condition.ofClass(2)), 3, c.withSeed(124));
    assertThat(Arrays.deepEquals(other, ab)).isFalse();
    // and the same call is reproducible
    assertThat(sample(List.of(Condition.ofClass(1), Condition.ofClass(2)), 3, c)).isDeepEqualTo(ab);
  }

  @Test
  void rowDrawsFollowTheDistributionAndNeverPickZeroProbabilityTokens() {
    try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      float[] p = {0.5f, 0f, 0.2f, 0.3f, 0f};
      int rows = 4000;
      long[] seeds = new long[rows];
      for (int i = 0; i < rows; i++) {
        seeds[i] = RowGenerators.rowSeed(77, i, 0);
      }
      RowGenerators gens = new RowGenerators(seeds, 1, new Device("cpu"));
      // unnormalised on purpose: the draw scales by the total mass
      Tensor probs = Tensor.create(p, 1, 5).mul(new Scalar(3.0)).expand(rows, 5).contiguous();
      long[] drawn = longs(gens.draw(probs, 0));
      int[] counts = new int[5];
      for (long d : drawn) {
        counts[(int) d]++;
      }
      assertThat(counts[1]).isZero();
      assertThat(counts[4]).isZero();
      // binomial standard deviation at n = 4000 is <= 0.008; allow 4 sigma
      assertThat(counts[0] / (double) rows).isCloseTo(0.5, Assertions.within(0.032));
      assertThat(counts[2] / (double) rows).isCloseTo(0.2, Assertions.within(0.032));
      assertThat(counts[3] / (double) rows).isCloseTo(0.3, Assertions.within(0.032));
      // a row's draw is a function of its seed alone
      RowGenerators one = new RowGenerators(new long[] {seeds[17]}, 1, new Device("cpu"));
      assertThat(longs(one.draw(probs.narrow(0, 0, 1), 0))[0]).isEqualTo(drawn[17]);
    }
  }

  @Test
  void samplingLogProbsEqualTeacherForcedLogProbsWithoutFiltering() {
    try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      List<Condition> conds = List.of(Condition.ofClass(4), Condition.ofClass(0));
      SamplingConfig plain = SamplingConfig.plain().toBuilder().temperature(0.8).seed(5).build();
      try (Rollouts r = policy.sample(conds, 2, plain)) {
        Tensor tf = policy.tokenLogProbs(r.sampleConditions(), r.tokens(), LogProbSource.CONDITIONAL, plain);
        assertClose("conditional log-probs", tf, r.samplingLogProbs(), 2e-5, 1e-5);
      }
      // with guidance (and a CFG interval), the GUIDED source scores the distribution that sampled
      SamplingConfig guided = plain.toBuilder().cfgScale(3.0).cfgInterval(4).build();
      try (Rollouts r = policy.sample(conds, 2, guided)) {
        Tensor tf = policy.tokenLogProbs(r.sampleConditions(), r.tokens(), LogProbSource.GUIDED, guided);
        assertClose("guided log-probs", tf, r.samplingLogProbs(), 2e-5, 1e-5);
        Tensor cond = policy.tokenLogProbs(r.sampleConditions(), r.tokens(), LogProbSource.CONDITIONAL, guided);
        assertThat(TensorAsserts.maxAbsDiff(cond.narrow(1, 0, 6), r.samplingLogProbs().narrow(1, 0, 6)))
            .as("guided tokens are scored differently by the conditional branch").isGreaterThan(1e-3);
        assertClose("after the CFG interval only the conditional branch is used",
            cond.narrow(1, 6, 10), r.samplingLogProbs().narrow(1, 6, 10), 2e-5, 1e-5);
      }
    }
  }

  @Test
  void topKKeepsOnlyTheKBestTokensAndEntropyIsOfTheUnfilteredLogits() {
    try (PointerScope s = new PointerScope()) {
      SamplingConfig c = SamplingConfig.arGrpo().toBuilder().topK(1).seed(3).build();
      Generation sampled = policy.generate(List.of(Condition.ofClass(2)), 2, c, false, true);
      Generation greedy = policy.generate(List.of(Condition.ofClass(2)), 2, c, true, true);
      assertThat(longs(sampled.tokens())).containsExactly(longs(greedy.tokens()));
      assertThat(TensorAsserts.floats(sampled.logProbs())).containsOnly(0f);
      assertClose("entropy", sampled.entropy(), LogitsProcessing.entropy(sampled.guidedLogits()), 1e-5, 1e-5);
      assertThat(sampled.entropy().min().item_float()).isGreaterThan(0f);
    }
  }

  @Test
  void gradientsFlowThroughTheConditionalBranchOnly() {
    try (PointerScope s = new PointerScope()) {
      List<Condition> conds = List.of(Condition.ofClass(4));
      Tensor tokens;
      try (Rollouts r = policy.sample(conds, 2, SamplingConfig.arGrpo())) {
        tokens = r.tokens().clone();
      }
      policy.model().zero_grad(true);
      policy.tokenLogProbs(TinyGpt.rows(conds, 2), tokens, LogProbSource.GUIDED, SamplingConfig.arGrpo()).sum().backward();
      Tensor table = policy.namedParameters().get("cls_embedding.embedding_table.weight").grad();
      // class 4 received gradient, the null class (row 10) did not: the unconditional branch is detached
      assertThat(table.select(0, 4).abs().sum().item_float()).isGreaterThan(0f);
      assertThat(table.select(0, 10).abs().sum().item_float()).isZero();
      policy.model().zero_grad(true);
    }
  }

  @Test
  void nativeMemoryStaysFlatOverManySamplingAndScoringSteps() {
    List<Condition> conds = List.of(Condition.ofClass(3), Condition.ofClass(5));
    Runnable step = () -> {
      try (Rollouts r = policy.sample(conds, 4, SamplingConfig.arGrpo()); PointerScope s = new PointerScope()) {
        policy.tokenLogProbs(r.sampleConditions(), r.tokens(), LogProbSource.GUIDED, SamplingConfig.arGrpo())
            .sum().backward();
      }
      policy.model().zero_grad(true);
    };
    for (int i = 0; i < 5; i++) {
      step.run();
    }
    long before = Pointer.physicalBytes();
    for (int i = 0; i < 40; i++) {
      step.run();
    }
    long grown = Pointer.physicalBytes() - before;
    // each step allocates a few MB; a leak of one step's tensors would add > 40 x that
    assertThat(grown).as("resident memory growth over 40 steps, bytes").isLessThan(48L << 20);
  }

  @Test
  void badInputsAreRejectedWithClearMessages() {
    assertThatThrownBy(() -> sample(List.of(Condition.ofClass(11)), 1, SamplingConfig.arGrpo()))
        .hasMessageContaining("class label must be in [0, 11)").hasMessageContaining("11");
    assertThatThrownBy(() -> sample(List.of(Condition.ofText("a cat")), 1, SamplingConfig.arGrpo()))
        .hasMessageContaining("needs class conditions");
    assertThatThrownBy(() -> sample(List.of(Condition.ofClass(1)), 0, SamplingConfig.arGrpo()))
        .hasMessageContaining("groupSize must be >= 1, got 0");
    try (PointerScope s = new PointerScope()) {
      Tensor wrong = torch.zeros(new long[] {1, 15}, new TensorOptions(torch.ScalarType.Long));
      assertThatThrownBy(() -> policy.tokenLogProbs(List.of(Condition.ofClass(1)), wrong, LogProbSource.CONDITIONAL,
          SamplingConfig.arGrpo())).hasMessageContaining("tokens must be (1, 16), got [1, 15]");
      Tensor big = torch.full(new long[] {1, 16}, new Scalar(48),
          new TensorOptions(torch.ScalarType.Long));
      assertThatThrownBy(() -> policy.tokenLogProbs(List.of(Condition.ofClass(1)), big, LogProbSource.CONDITIONAL,
          SamplingConfig.arGrpo())).hasMessageContaining("tokens must be in [0, 48)");
    }
  }
}
