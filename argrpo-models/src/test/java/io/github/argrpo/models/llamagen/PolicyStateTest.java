package io.github.argrpo.models.llamagen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.policy.LogProbSource;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.Precision;

/** What a policy carries beyond its parameters (the t2i unconditional caption) and the mode it starts in. */
class PolicyStateTest {

  private static final String UNCOND = "cls_embedding.uncond_embedding";

  @Test
  void t2iBuffersAreTheUnconditionalCaptionByReferenceName() {
    try (LlamaGenPolicy t2i = TinyGpt.policy(TinyGpt.t2i(Precision.FP32), 5);
        LlamaGenPolicy c2i = TinyGpt.policy(TinyGpt.c2i(Precision.FP32), 5)) {
      // gpt.py CaptionEmbedder: register_buffer("uncond_embedding", randn(120, in_channels) / in_channels ** 0.5)
      assertThat(t2i.namedBuffers()).containsOnlyKeys(UNCOND);
      assertThat(t2i.namedBuffers().get(UNCOND).shape()).containsExactly(120, 12);
      assertThat(t2i.namedParameters()).doesNotContainKey(UNCOND);
      // the live tensor, not a copy
      assertThat(t2i.namedBuffers().get(UNCOND).data_ptr().address())
          .isEqualTo(t2i.stateDict().get(UNCOND).data_ptr().address());
      // ClassEmbedder registers no buffer; freqs_cis is recomputed, not state
      assertThat(c2i.namedBuffers()).isEmpty();
    }
  }

  @Test
  void frozenCopyAndLoadParametersFromCarryTheUnconditionalCaption() {
    GptConfig c = TinyGpt.t2i(Precision.FP32);
    try (LlamaGenPolicy p = TinyGpt.policy(c, 7); LlamaGenPolicy other = TinyGpt.policy(c, 8);
        PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      Tensor mine = p.namedBuffers().get(UNCOND);
      assertThat(other.namedBuffers().get(UNCOND).equal(mine)).isFalse();
      try (LlamaGenPolicy copy = p.frozenCopy()) {
        assertThat(copy.namedBuffers().get(UNCOND).equal(mine)).isTrue();
      }
      other.loadParametersFrom(p);
      assertThat(other.namedBuffers().get(UNCOND).equal(mine)).isTrue();
    }
  }

  @Test
  void createdAndLoadedPoliciesAreInEvalModeSoRepeatedCallsAgree(@TempDir Path dir) throws Exception {
    // dropouts and class dropout on, as in the reference's ModelArgs defaults
    GptConfig c = TinyGpt.c2i(Precision.FP32).toBuilder().dropout(0.3).classDropoutProb(0.5).build();
    List<Condition> conds = List.of(Condition.ofClass(1), Condition.ofClass(4), Condition.ofClass(9));
    Path file = dir.resolve("gpt.safetensors");
    try (LlamaGenPolicy made = TinyGpt.policy(c, 3); PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      made.saveSafetensors(file);
      Tensor tokens = torch.randint(c.vocabSize(), new long[] {3, c.blockSize()});
      try (LlamaGenPolicy loaded = LlamaGenPolicy.load(c, file, DeviceSpec.CPU)) {
        for (LlamaGenPolicy p : List.of(made, loaded)) {
          assertThat(p.model().is_training()).isFalse();
          assertThat(p.logits(conds, tokens).equal(p.logits(conds, tokens))).isTrue();
          Tensor a = p.tokenLogProbs(conds, tokens, LogProbSource.CONDITIONAL, SamplingConfig.plain());
          Tensor b = p.tokenLogProbs(conds, tokens, LogProbSource.CONDITIONAL, SamplingConfig.plain());
          assertThat(a.equal(b)).isTrue();
        }
        // maximum likelihood still gets its dropouts when it asks for them
        loaded.setTraining(true);
        assertThat(loaded.logits(conds, tokens).sub(loaded.logits(conds, tokens)).abs().max().item_double())
            .isGreaterThan(0.0);
        loaded.setTraining(false);
        assertThat(loaded.logits(conds, tokens).equal(made.logits(conds, tokens))).isTrue();
      }
    }
  }
}
