package io.github.argrpo.core.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.grpo.GradientSynchronizer;
import io.github.argrpo.core.grpo.AdamWFactory;
import io.github.argrpo.core.runtime.NativeRuntime;

/**
 * A parameter that no rank's loss touches must not move, with one rank or several: with a single
 * process its gradient stays undefined and AdamW skips it, so two Gloo ranks must leave it undefined
 * too (before the fix the synchronizer filled it with zeros and weight decay shrank it every step).
 * The expectation is the single-process behaviour: the unused parameter bit-identical to its initial
 * values after several AdamW steps with weight decay 0.05.
 */
class UnusedParameterDistributedTest {

  private static final int STEPS = 3;

  @BeforeAll
  static void init() {
    NativeRuntime.init();
  }

  /** The bits of {@code t} as floats. */
  private static float[] floats(Tensor t) {
    Tensor c = t.detach().to(ScalarType.Float).contiguous();
    float[] out = new float[(int) c.numel()];
    new FloatPointer(c.data_ptr_float()).get(out);
    return out;
  }

  /**
   * Trains a used and an unused parameter for a few AdamW steps; returns {used, unused, {1 if the
   * unused one ever had a gradient after synchronize, else 0}}.
   */
  private static float[][] train(int rank, GradientSynchronizer sync) {
    Tensor used = torch.ones(new long[] {6}, new TensorOptions(ScalarType.Float)).set_requires_grad(true);
    Tensor unused = torch.full(new long[] {5}, new Scalar(0.75), new TensorOptions(ScalarType.Float))
        .set_requires_grad(true);
    List<Tensor> params = List.of(used, unused);
    AdamW adamW = AdamWFactory.create(params, 0.1, 0.9, 0.95, 1e-8, 0.05);
    float everDefined = 0;
    try {
      for (int s = 0; s < STEPS; s++) {
        adamW.zero_grad(true);
        try (PointerScope scope = new PointerScope()) {
          used.mul(new Scalar(rank + 1.0)).sum().backward();
        }
        sync.synchronize(params);
        everDefined = unused.grad().defined() ? 1 : everDefined;
        adamW.step();
      }
      return new float[][] {floats(used), floats(unused), {everDefined}};
    } finally {
      adamW.close();
    }
  }

  @Test
  void aParameterNoRankUsedStaysBitIdenticalAsInOneProcess() throws Exception {
    float[] initial = {0.75f, 0.75f, 0.75f, 0.75f, 0.75f};
    float[][] single = train(0, DistributedContext.single().gradientSynchronizer());
    assertThat(single[1]).as("one process").containsExactly(initial);
    assertThat(single[2]).containsExactly(0f);
    try (InProcessRanks w = new InProcessRanks(2, Duration.ofSeconds(20), 1)) {
      List<float[][]> ranks = w.onEachRank(c -> train(c.rank(), c.gradientSynchronizer()));
      for (float[][] r : ranks) {
        assertThat(r[1]).as("two ranks: the unused parameter").containsExactly(initial);
        assertThat(r[2]).as("two ranks: its gradient stays undefined, as in one process").containsExactly(0f);
        // the used one did move, and identically on both ranks
        assertThat(r[0][0]).isLessThan(1.0f);
      }
      assertThat(ranks.get(0)[0]).containsExactly(ranks.get(1)[0]);
    }
  }
}
