package io.github.argrpo.models.llamagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.grpo.AdamWGrpoOptimizer;
import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.policy.LogProbSource;
import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.runtime.Precision;

/**
 * GRPO re-scores LlamaGen rollouts with the sampling configuration they were drawn with: the
 * log-probs the optimizer uses for the policy and the reference must be the guided, tempered ones
 * {@code log_softmax((u + (c - u) * s) / T)}, computed here independently in double precision from
 * the conditional logits {@code c} and the null-class logits {@code u}.
 */
class GrpoRescoringTest {

  private static final double CFG = 3.0;
  private static final double TEMPERATURE = 0.7;

  /** Delegates to a policy and keeps a copy of the first log-probs it returns, with the config asked for. */
  private static final class Recording implements Policy {
    final Policy inner;
    float[] firstLogProbs;
    SamplingConfig seenConfig;
    LogProbSource seenSource;

    Recording(Policy inner) {
      this.inner = inner;
    }

    @Override public int sequenceLength() { return inner.sequenceLength(); }
    @Override public int vocabularySize() { return inner.vocabularySize(); }
    @Override public Rollouts sample(List<? extends Condition> c, int g, SamplingConfig s) { return inner.sample(c, g, s); }
    @Override public List<Tensor> trainableParameters() { return inner.trainableParameters(); }
    @Override public Map<String, Tensor> namedParameters() { return inner.namedParameters(); }
    @Override public Policy frozenCopy() { return inner.frozenCopy(); }
    @Override public void setTraining(boolean training) { inner.setTraining(training); }
    @Override public void loadParametersFrom(Policy other) { inner.loadParametersFrom(other); }
    @Override public void close() { inner.close(); }

    @Override
    public Tensor tokenLogProbs(List<? extends Condition> conditions, Tensor tokens, LogProbSource source,
        SamplingConfig config) {
      Tensor lp = inner.tokenLogProbs(conditions, tokens, source, config);
      if (firstLogProbs == null) {
        firstLogProbs = floats(lp);
        seenConfig = config;
        seenSource = source;
      }
      return lp;
    }
  }

  @Test
  void optimizerScoresWithTheGuidedTemperedDistributionTheTokensWereDrawnFrom() {
    GptConfig c = TinyGpt.c2i(Precision.FP32);
    List<Condition> groups = List.of(Condition.ofClass(2), Condition.ofClass(7));
    int groupSize = 2;
    SamplingConfig sampling = SamplingConfig.builder().temperature(TEMPERATURE).cfgScale(CFG).seed(4).build();
    try (LlamaGenPolicy p = TinyGpt.policy(c, 21); LlamaGenPolicy frozen = p.frozenCopy();
        PointerScope s = new PointerScope()) {
      Recording policy = new Recording(p);
      Recording reference = new Recording(frozen);
      GrpoConfig grpo = GrpoConfig.builder().beta(0.1).logProbSource(LogProbSource.GUIDED).learningRate(1e-4)
          .iterations(1).build();
      try (Rollouts r = p.sample(groups, groupSize, sampling)) {
        List<Condition> rows = r.sampleConditions();
        Tensor tokens = r.tokens();
        double[] expected;
        double[] conditionalOnly;
        try (NoGradGuard g = new NoGradGuard()) {
          List<Condition> nullRows = new ArrayList<>();
          for (int i = 0; i < rows.size(); i++) {
            nullRows.add(Condition.ofClass(c.numClasses()));
          }
          float[] cond = floats(frozen.logits(rows, tokens));
          float[] uncond = floats(frozen.logits(nullRows, tokens));
          long[] ids = longs(tokens);
          expected = logProbs(cond, uncond, ids, c.vocabSize(), CFG, TEMPERATURE);
          conditionalOnly = logProbs(cond, uncond, ids, c.vocabSize(), 1.0, 1.0);
        }
        try (AdamWGrpoOptimizer opt = new AdamWGrpoOptimizer(policy, grpo)) {
          opt.step(r, new double[] {1, 0, 0.5, 2}, policy, reference);
        }
        double maxDiffToConditional = 0;
        int len = c.blockSize();
        for (int n = 0; n < rows.size(); n++) {
          for (int t = 0; t < len; t++) {
            assertThat((double) reference.firstLogProbs[n * len + t]).as("reference row %d token %d", n, t)
                .isCloseTo(expected[n * len + t], within(1e-4));
            assertThat((double) policy.firstLogProbs[n * len + t]).as("policy row %d token %d", n, t)
                .isCloseTo(expected[n * len + t], within(1e-4));
            maxDiffToConditional = Math.max(maxDiffToConditional, Math.abs(expected[n * len + t] - conditionalOnly[n * len + t]));
          }
        }
        // the check has teeth: the plain conditional log-probs are far from the guided tempered ones
        assertThat(maxDiffToConditional).isGreaterThan(0.1);
        assertThat(r.samplingConfig()).isEqualTo(sampling);
        assertThat(reference.seenConfig).isEqualTo(sampling);
        assertThat(reference.seenSource).isEqualTo(LogProbSource.GUIDED);
      }
    }
  }

  /** {@code log_softmax((u + (c - u) * s) / T)} at each id, in double precision; logits flattened (N*L, V). */
  private static double[] logProbs(float[] cond, float[] uncond, long[] ids, int vocab, double scale, double temp) {
    double[] out = new double[ids.length];
    double[] z = new double[vocab];
    for (int k = 0; k < ids.length; k++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int v = 0; v < vocab; v++) {
        double u = uncond[k * vocab + v];
        z[v] = (u + (cond[k * vocab + v] - u) * scale) / temp;
        max = Math.max(max, z[v]);
      }
      double sum = 0;
      for (int v = 0; v < vocab; v++) {
        sum += Math.exp(z[v] - max);
      }
      out[k] = z[(int) ids[k]] - max - Math.log(sum);
    }
    return out;
  }

  private static float[] floats(Tensor t) {
    Tensor c = t.detach().to(ScalarType.Float).contiguous();
    float[] out = new float[(int) c.numel()];
    c.data_ptr_float().get(out);
    return out;
  }

  private static long[] longs(Tensor t) {
    Tensor c = t.to(ScalarType.Long).contiguous();
    long[] out = new long[(int) c.numel()];
    c.data_ptr_long().get(out);
    return out;
  }
}
