package io.github.argrpo.models.llamagen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.condition.TextCondition;
import io.github.argrpo.core.condition.TextFeatures;
import io.github.argrpo.core.runtime.Precision;

/**
 * LlamaGen's left padding against AR-GRPO's right padding of the same valid caption rows, as
 * ar-grpo.md section 2.4 works out from the reference code: conditional logits differ at image token 0
 * only (it is predicted from caption position 119, the {@code </s>} row under left padding, a padding
 * row under right padding; the caption positions have zero RoPE, so where the valid rows sit changes
 * nothing else), and the unconditional branch reads rows {@code 120-n .. 119} of the learned
 * unconditional caption under left padding, rows {@code 0 .. n-1} (and row 119, its own) under right.
 */
class CaptionPaddingTest {

  private static final int N = 9;
  private static final int TOKENS = GptConfig.CAPTION_TOKENS;

  private static TextCondition[] layouts(int dim) {
    Random r = new Random(5);
    float[] validRows = new float[N * dim];
    for (int i = 0; i < validRows.length; i++) {
      validRows[i] = (float) r.nextGaussian();
    }
    float[] left = new float[TOKENS * dim];
    float[] right = new float[TOKENS * dim];
    boolean[] lm = new boolean[TOKENS];
    boolean[] rm = new boolean[TOKENS];
    System.arraycopy(validRows, 0, left, (TOKENS - N) * dim, N * dim);
    System.arraycopy(validRows, 0, right, 0, N * dim);
    for (int i = N * dim; i < right.length; i++) {
      right[i] = (float) r.nextGaussian(); // T5's outputs at the padding positions
    }
    for (int k = 0; k < N; k++) {
      lm[TOKENS - N + k] = true;
      rm[k] = true;
    }
    return new TextCondition[] {new TextCondition("p", new TextFeatures(left, TOKENS, dim, lm)),
        new TextCondition("p", new TextFeatures(right, TOKENS, dim, rm))};
  }

  /** Max |difference| per image position of two (1, L, V) logits. */
  private static double[] perPosition(Tensor a, Tensor b) {
    Tensor d = a.sub(b).abs().amax(new long[] {2}, false).squeeze(0).contiguous();
    double[] out = new double[(int) d.numel()];
    for (int t = 0; t < out.length; t++) {
      out[t] = d.get(t).item_double();
    }
    return out;
  }

  @Test
  void conditionalBranchDiffersAtImageTokenZeroOnly() {
    GptConfig c = TinyGpt.t2i(Precision.FP32);
    TextCondition[] l = layouts(c.captionDim());
    try (LlamaGenPolicy p = TinyGpt.policy(c, 13); PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      Tensor tokens = torch.randint(c.vocabSize(), new long[] {1, c.blockSize()});
      double[] d = perPosition(p.logits(List.of(l[0]), tokens), p.logits(List.of(l[1]), tokens));
      assertThat(d[0]).as("image token 0").isGreaterThan(0.1);
      for (int t = 1; t < d.length; t++) {
        assertThat(d[t]).as("image token %d", t).isLessThan(1e-4);
      }
      // under right padding image token 0 reads the padding row at position 119, which AR-GRPO fills
      // with T5's output there: its value reaches the model (it is not zeroed)
      float[] v = l[1].features().values();
      for (int k = 0; k < c.captionDim(); k++) {
        v[(TOKENS - 1) * c.captionDim() + k] += 1f;
      }
      TextCondition moved = new TextCondition("p", new TextFeatures(v, TOKENS, c.captionDim(), l[1].features().mask()));
      double[] e = perPosition(p.logits(List.of(l[1]), tokens), p.logits(List.of(moved), tokens));
      assertThat(e[0]).isGreaterThan(1e-3);
      assertThat(e[1]).isZero();
    }
  }

  @Test
  void unconditionalBranchReadsOtherRowsOfTheLearnedCaption() {
    GptConfig c = TinyGpt.t2i(Precision.FP32);
    TextCondition[] l = layouts(c.captionDim());
    try (LlamaGenPolicy p = TinyGpt.policy(c, 17); PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      Tensor tokens = torch.randint(c.vocabSize(), new long[] {1, c.blockSize()});
      LlamaGenGpt m = p.model();
      Tensor leftValid = ConditionInputs.of(c, List.<Condition>of(l[0]), m.device()).captionValid();
      Tensor rightValid = ConditionInputs.of(c, List.<Condition>of(l[1]), m.device()).captionValid();
      Tensor uLeft = m.teacherForcedLogits(m.unconditionalInput(1), leftValid, tokens);
      Tensor uRight = m.teacherForcedLogits(m.unconditionalInput(1), rightValid, tokens);
      for (double d : perPosition(uLeft, uRight)) {
        assertThat(d).isGreaterThan(1e-4);
      }
      // row 115 is valid under left padding (rows 111..119) and an unread padding row under right (0..8, 119)
      p.namedBuffers().get("cls_embedding.uncond_embedding").get(115).add_(new Scalar(3.0));
      double[] leftChange = perPosition(uLeft, m.teacherForcedLogits(m.unconditionalInput(1), leftValid, tokens));
      double[] rightChange = perPosition(uRight, m.teacherForcedLogits(m.unconditionalInput(1), rightValid, tokens));
      assertThat(leftChange[5]).isGreaterThan(1e-3);
      for (double d : rightChange) {
        assertThat(d).isZero();
      }
    }
  }
}
