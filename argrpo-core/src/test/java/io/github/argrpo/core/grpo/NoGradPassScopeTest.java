package io.github.argrpo.core.grpo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.policy.LogProbSource;
import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.toy.ToyPolicy;

/**
 * Micro-batching bounds the memory of the no-gradient passes (reference and old log-probs): a micro-batch's
 * temporaries are freed before the next micro-batch runs. The paper's 8 x 8 batch of GPT-B ran out of 24 GB in
 * the reference pass when all of them lived until the pass ended.
 */
class NoGradPassScopeTest {

  /** Delegates to a toy policy; each log-prob call leaves a temporary in the caller's scope and checks the last. */
  private static final class ProbePolicy implements Policy {
    private final Policy inner;
    private final List<Tensor> temporaries = new ArrayList<>();
    int callsWithLiveTemporary;
    int calls;

    ProbePolicy(Policy inner) {
      this.inner = inner;
    }

    @Override
    public Tensor tokenLogProbs(List<? extends Condition> conditions, Tensor tokens, LogProbSource source,
        SamplingConfig config) {
      calls++;
      if (!temporaries.isEmpty() && !temporaries.get(temporaries.size() - 1).isNull()) {
        callsWithLiveTemporary++;
      }
      // an activation-like temporary, registered in the innermost scope like every op result of a real pass
      temporaries.add(torch.ones(1024));
      return inner.tokenLogProbs(conditions, tokens, source, config);
    }

    @Override
    public int sequenceLength() {
      return inner.sequenceLength();
    }

    @Override
    public int vocabularySize() {
      return inner.vocabularySize();
    }

    @Override
    public Rollouts sample(List<? extends Condition> conditions, int groupSize, SamplingConfig config) {
      return inner.sample(conditions, groupSize, config);
    }

    @Override
    public List<Tensor> trainableParameters() {
      return inner.trainableParameters();
    }

    @Override
    public Map<String, Tensor> namedParameters() {
      return inner.namedParameters();
    }

    @Override
    public Policy frozenCopy() {
      return new ProbePolicy(inner.frozenCopy());
    }

    @Override
    public void setTraining(boolean training) {
      inner.setTraining(training);
    }

    @Override
    public void loadParametersFrom(Policy other) {
      inner.loadParametersFrom(other);
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  @Test
  void eachMicroBatchOfTheReferenceAndOldLogProbPassesIsFreedBeforeTheNext() {
    // beta > 0: a reference pass; sequencesPerOptimizerStep < batch: an old-log-prob pass too
    GrpoConfig cfg = GrpoConfig.builder().learningRate(1e-2).beta(0.1).microBatchSize(2).sequencesPerOptimizerStep(4)
        .build();
    try (ToyPolicy toy = new ToyPolicy(2, 8, 6, 1); ProbePolicy policy = new ProbePolicy(toy);
        ProbePolicy reference = new ProbePolicy(toy.frozenCopy());
        AdamWGrpoOptimizer opt = new AdamWGrpoOptimizer(policy, cfg);
        Rollouts r = toy.sample(List.of(Condition.ofClass(0), Condition.ofClass(1)), 4,
            SamplingConfig.arGrpo().withSeed(3))) {
      opt.step(r, AdamWGrpoOptimizerTest.rewards(r), policy, reference);
      assertThat(reference.calls).isEqualTo(4);                // 8 sequences in micro-batches of 2
      assertThat(reference.callsWithLiveTemporary).as("reference micro-batches that ran beside the previous one's "
          + "temporaries").isZero();
      assertThat(policy.calls).isEqualTo(4 + 4);               // old log-probs, then the gradient passes
      assertThat(policy.callsWithLiveTemporary).isZero();
    }
  }
}
