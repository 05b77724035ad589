package io.github.argrpo.models.llamagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.PeakRss;
import io.github.argrpo.core.runtime.Precision;

/**
 * A teacher-forced pass without autograd (the GRPO reference pass) holds one block's temporaries at a time.
 *
 * <p>Hand-worked sizes for the full GPT-B (12 blocks, dim 768, 12 heads) on 16 sequences of 257 positions in
 * fp32: a block's fp32 attention scores are 16 x 12 x 257 x 257 x 4 B = 50.7 MB, and with their scaled, masked
 * and softmaxed copies, the q/k/v copies (12.6 MB each) and the three 16 x 257 x 2048 FFN activations
 * (33.7 MB each) a block leaves about 0.35 GB of temporaries; all 12 blocks, about 4.2 GB. The logits are
 * 16 x 256 x 16384 x 4 B = 0.27 GB. One block at a time plus the logits and the blocks' outputs stays under
 * 1.5 GB above the resident set before the pass; keeping every block's temporaries would not.
 */
class NoGradForwardMemoryTest {

  @Test
  void aReferencePassHoldsOneBlocksTemporariesAtATime() {
    NativeRuntime.init();
    assumeTrue(!Double.isNaN(PeakRss.gigabytes()) && PeakRss.reset(), "needs Linux's VmHWM and clear_refs");
    GptConfig c = GptConfig.gptB().toBuilder().dropout(0.0).precision(Precision.FP32).build();
    try (LlamaGenGpt m = LlamaGenGpt.create(c, DeviceSpec.CPU); PointerScope s = new PointerScope();
        NoGradGuard g = new NoGradGuard()) {
      m.eval();
      Tensor cond = torch.arange(new Scalar(16));
      Tensor tokens = torch.randint(c.vocabSize(), new long[] {16, 256}, new GeneratorOptional(),
          new TensorOptions(ScalarType.Long));
      System.gc();
      PeakRss.reset();
      double before = PeakRss.gigabytes();
      Tensor logits;
      try (PointerScope pass = new PointerScope()) {
        logits = m.teacherForcedLogits(cond, null, tokens);
        assertThat(logits.size(0)).isEqualTo(16);
      }
      double growth = PeakRss.gigabytes() - before;
      assertThat(growth).as("peak resident growth of the pass, GB").isLessThan(1.5);
    }
  }
}
