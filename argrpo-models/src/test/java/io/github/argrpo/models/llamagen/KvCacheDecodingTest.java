package io.github.argrpo.models.llamagen;

import static io.github.argrpo.models.llamagen.TensorAsserts.assertClose;

import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.policy.LogitsProcessing;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.runtime.Precision;

/**
 * KV-cache decoding equals the full non-cached forward (llamagen.md 2.6): the guided logits of every
 * step equal {@code uncond + (cond - uncond) * s} of two teacher-forced passes over the generated
 * tokens.
 */
class KvCacheDecodingTest {

  @Test
  void classToImageCachedStepsEqualTheFullForward() {
    check(TinyGpt.c2i(Precision.FP32), List.of(Condition.ofClass(3), Condition.ofClass(7)), 2);
  }

  @Test
  void textToImageCachedStepsEqualTheFullForwardWithPaddingMasks() {
    GptConfig c = TinyGpt.t2i(Precision.FP32);
    check(c, List.of(TinyGpt.text(c.captionDim(), 5, 1), TinyGpt.text(c.captionDim(), 120, 2)), 2);
  }

  private static void check(GptConfig config, List<Condition> conds, int groupSize) {
    double scale = 2.5;
    try (LlamaGenPolicy p = TinyGpt.policy(config, 42); PointerScope s = new PointerScope();
        NoGradGuard g = new NoGradGuard()) {
      p.setTraining(false);
      SamplingConfig sc = SamplingConfig.plain().withCfgScale(scale).withSeed(9);
      Generation gen = p.generate(conds, groupSize, sc, false, true);
      List<Condition> rows = TinyGpt.rows(conds, groupSize);
      ConditionInputs in = ConditionInputs.of(config, rows, p.model().device());
      Tensor cond = p.model().teacherForcedLogits(in.cond(), in.captionValid(), gen.tokens());
      Tensor uncond = p.model().teacherForcedLogits(p.model().unconditionalInput(rows.size()), in.captionValid(),
          gen.tokens());
      Tensor full = LogitsProcessing.guide(cond, uncond, scale);
      assertClose("cached guided logits vs full forward", gen.guidedLogits(), full, 2e-5, 1e-5);
      // the recorded log-probs are those of the tokens under the guided distribution
      Tensor lp = torch.log_softmax(full, -1).gather(2, gen.tokens().unsqueeze(2)).squeeze(2);
      assertClose("sampling log-probs", gen.logProbs(), lp, 2e-5, 1e-5);
    }
  }
}
