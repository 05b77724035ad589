package io.github.argrpo.models.llamagen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.bytedeco.javacpp.BoolPointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.condition.TextCondition;
import io.github.argrpo.core.runtime.Precision;

/** t2i caption features resident on the device: uploaded once per prompt, the same values as given. */
class TextFeatureCacheTest {

  private static float[] floats(Tensor t) {
    Tensor c = t.contiguous();
    float[] out = new float[(int) c.numel()];
    new FloatPointer(c.data_ptr_float()).get(out);
    return out;
  }

  private static boolean[] bools(Tensor t) {
    Tensor c = t.contiguous();
    boolean[] out = new boolean[(int) c.numel()];
    BoolPointer p = new BoolPointer(c.data_ptr_bool());
    for (int i = 0; i < out.length; i++) {
      out[i] = p.get(i);
    }
    return out;
  }

  @Test
  void rowsAreTheGivenFeaturesAndEachPromptIsUploadedOnceAcrossScopes() {
    GptConfig c = TinyGpt.t2i(Precision.FP32);
    TextCondition a = TinyGpt.text(c.captionDim(), 7, 1);
    TextCondition b = TinyGpt.text(c.captionDim(), 30, 2);
    List<Condition> rows = List.of(a, a, b, a);
    try (LlamaGenPolicy p = TinyGpt.policy(c, 3)) {
      TextFeatureCache cache = p.textFeatureCache();
      for (int call = 0; call < 3; call++) {
        // each call in a scope of its own that is closed before the next: the cached device copies
        // must survive it (a released tensor would read freed memory here)
        try (PointerScope s = new PointerScope()) {
          ConditionInputs in = ConditionInputs.of(c, rows, p.model().device(), cache);
          assertThat(in.cond().sizes().vec().get()).containsExactly(4, GptConfig.CAPTION_TOKENS, c.captionDim());
          assertThat(in.cond().scalar_type().value).isEqualTo(ScalarType.Float.value);
          float[] got = floats(in.cond());
          boolean[] mask = bools(in.captionValid());
          int per = GptConfig.CAPTION_TOKENS * c.captionDim();
          for (int r = 0; r < rows.size(); r++) {
            TextCondition tc = (TextCondition) rows.get(r);
            float[] want = tc.features().values();
            for (int k = 0; k < per; k++) {
              assertThat(got[r * per + k]).isEqualTo(want[k]);
            }
            boolean[] wantMask = tc.features().mask();
            for (int k = 0; k < GptConfig.CAPTION_TOKENS; k++) {
              assertThat(mask[r * GptConfig.CAPTION_TOKENS + k]).isEqualTo(wantMask[k]);
            }
          }
        }
      }
      assertThat(cache.uploads()).as("two distinct prompts over three calls of four rows").isEqualTo(2);
      assertThat(cache.size()).isEqualTo(2);
    }
  }

  @Test
  void theBudgetEvictsTheLeastRecentlyUsedPrompt() {
    GptConfig c = TinyGpt.t2i(Precision.FP32);
    TextCondition a = TinyGpt.text(c.captionDim(), 7, 1);
    TextCondition b = TinyGpt.text(c.captionDim(), 8, 2);
    TextCondition d = TinyGpt.text(c.captionDim(), 9, 3);
    // one prompt: 120 x 12 floats + 120 bools = 5880 bytes; a budget of two prompts
    long one = GptConfig.CAPTION_TOKENS * (long) c.captionDim() * 4 + GptConfig.CAPTION_TOKENS;
    try (LlamaGenPolicy p = TinyGpt.policy(c, 3);
        TextFeatureCache cache = new TextFeatureCache(p.model().device(), ScalarType.Float, 2 * one);
        PointerScope s = new PointerScope()) {
      ConditionInputs.of(c, List.of(a, b), p.model().device(), cache);
      ConditionInputs.of(c, List.of(a), p.model().device(), cache);     // a is now the most recent
      ConditionInputs.of(c, List.of(d), p.model().device(), cache);     // evicts b
      assertThat(cache.size()).isEqualTo(2);
      assertThat(cache.bytes()).isEqualTo(2 * one);
      ConditionInputs.of(c, List.of(a), p.model().device(), cache);
      assertThat(cache.uploads()).as("a stayed resident").isEqualTo(3);
      ConditionInputs.of(c, List.of(b), p.model().device(), cache);
      assertThat(cache.uploads()).as("b was evicted and comes back").isEqualTo(4);
    }
  }

  @Test
  void thePolicysLogProbsAreTheSameWithTheCacheWarm() {
    GptConfig c = TinyGpt.t2i(Precision.FP32);
    List<Condition> rows = List.of(TinyGpt.text(c.captionDim(), 5, 4), TinyGpt.text(c.captionDim(), 50, 5));
    try (LlamaGenPolicy p = TinyGpt.policy(c, 9); PointerScope s = new PointerScope()) {
      Tensor tokens = torch.randint(c.vocabSize(), new long[] {2, c.blockSize()});
      // the uncached path (a fresh per-call cache) is the reference: ConditionInputs without a cache
      Tensor cold;
      try (TextFeatureCache once = new TextFeatureCache(p.model().device(), ScalarType.Float, Long.MAX_VALUE)) {
        ConditionInputs in = ConditionInputs.of(c, rows, p.model().device(), once);
        cold = p.model().teacherForcedLogits(in.cond(), in.captionValid(), tokens).clone();
      }
      p.logits(rows, tokens);
      Tensor warm = p.logits(rows, tokens);
      assertThat(p.textFeatureCache().uploads()).isEqualTo(2);
      float[] x = floats(cold);
      float[] y = floats(warm);
      assertThat(y).containsExactly(x);
    }
  }
}
