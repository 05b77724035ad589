package io.github.argrpo.eval.imagenet.inception;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.MemoryFormat;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.core.testing.Fixtures;
import io.github.argrpo.weights.StateDictLoader;

/**
 * The kernel choices of {@link BasicConv2d} on a hand-worked unit, and that users get the fast path by
 * default. (The whole network against the reference, on both paths, is {@code EvalParityTest}'s
 * {@code inception-fid} fixture.)
 */
class InceptionKernelsTest {

  /**
   * A 1x1 convolution from 2 to 2 channels on a 2x2 image whose first channel is
   * {@code x = [-1, 0, 1, 2]} (the second, all 5, has weight 0: two channels make NHWC differ from
   * NCHW), by hand:
   * channel 0: {@code w = 2}, BN {@code gamma = 3, beta = 1, mean = 0.5, var = 3.999} (+ eps 0.001 = 4):
   * {@code relu((2x - 0.5) / 2 * 3 + 1) = relu(3x + 0.25) = [0, 0.25, 3.25, 6.25]};
   * channel 1: {@code w = -1}, {@code gamma = 0.5, beta = -0.25, mean = 0, var = 0.999} (+ eps = 1):
   * {@code relu(-0.5x - 0.25) = [0.25, 0, 0, 0]}.
   */
  private static final float[] EXPECTED = {0f, 0.25f, 3.25f, 6.25f, 0.25f, 0f, 0f, 0f};

  @Test
  void everyKernelChoiceGivesTheHandWorkedConvBatchNormRelu() {
    BasicConv2d unit = BasicConv2d.of(2, 2, 1);
    try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      Map<String, Tensor> sd = StateDictLoader.stateDict(unit);
      sd.get("conv.weight").copy_(Tensor.create(new float[] {2f, 0f, -1f, 0f}, 2, 2, 1, 1));
      sd.get("bn.weight").copy_(Tensor.create(new float[] {3f, 0.5f}, 2));
      sd.get("bn.bias").copy_(Tensor.create(new float[] {1f, -0.25f}, 2));
      sd.get("bn.running_mean").copy_(Tensor.create(new float[] {0.5f, 0f}, 2));
      sd.get("bn.running_var").copy_(Tensor.create(new float[] {3.999f, 0.999f}, 2));
      Tensor x = Tensor.create(new float[] {-1f, 0f, 1f, 2f, 5f, 5f, 5f, 5f}, 1, 2, 2, 2);
      assertThat(values(unit.forward(x))).as("plain").containsExactly(EXPECTED, within(1e-6f));
      for (InceptionKernels k : new InceptionKernels[] {InceptionKernels.DEFAULT, new InceptionKernels(false, true),
          new InceptionKernels(true, false)}) {
        unit.prepare(k, ScalarType.Float);
        Tensor in = k.channelsLast() ? x.contiguous(MemoryFormat.ChannelsLast) : x;
        Tensor y = unit.forward(in);
        assertThat(values(y)).as(k.label()).containsExactly(EXPECTED, within(1e-6f));
        if (k.channelsLast()) {
          assertThat(y.is_contiguous(MemoryFormat.ChannelsLast)).as(k.label() + " keeps NHWC").isTrue();
        }
      }
      unit.releaseKernels();
      assertThat(values(unit.forward(x))).as("plain again after release").containsExactly(EXPECTED, within(1e-6f));
    }
  }

  @Test
  void loadAndPlaceholderRunChannelsLastWithFoldedBatchNormUnlessAsked() throws Exception {
    assertThat(InceptionKernels.DEFAULT.channelsLast()).isTrue();
    assertThat(InceptionKernels.DEFAULT.foldBatchNorm()).isTrue();
    assertThat(InceptionKernels.DEFAULT.label()).isEqualTo("channels-last+folded-bn");
    assertThat(InceptionKernels.PLAIN.label()).isEqualTo("nchw+separate-bn");
    try (FidInceptionV3 net = FidInceptionV3.placeholder(Precision.FP32)) {
      assertThat(net.kernels()).isEqualTo(InceptionKernels.DEFAULT);
    }
    Path weights = Fixtures.sharedDir().resolve("fixtures/eval/inception-fid/weights.safetensors");
    Assumptions.assumeTrue(Files.isRegularFile(weights), "no inception-fid fixture");
    try (FidInceptionV3 net = FidInceptionV3.load(weights, Precision.FP32);
        FidInceptionV3 plain = FidInceptionV3.load(weights, Precision.FP32, InceptionKernels.PLAIN)) {
      assertThat(net.kernels()).isEqualTo(InceptionKernels.DEFAULT);
      assertThat(plain.kernels()).isEqualTo(InceptionKernels.PLAIN);
    }
  }

  @Test
  void everyConvolutionOfTheStateDictIsPrepared() {
    try (FidInceptionV3 net = FidInceptionV3.placeholder(Precision.FP32);
        FidInceptionV3 plain = FidInceptionV3.placeholder(Precision.FP32, InceptionKernels.PLAIN);
        PointerScope scope = new PointerScope()) {
      // the state dict names every convolution once: 94 in the TF-2015 graph without the aux head
      long convs = StateDictLoader.stateDict(net).keySet().stream().filter(k -> k.endsWith(".conv.weight")).count();
      assertThat(convs).isEqualTo(94);
      assertThat(net.units()).hasSize(94).allMatch(BasicConv2d::prepared);
      assertThat(plain.units()).hasSize(94).noneMatch(BasicConv2d::prepared);
    }
  }

  private static float[] values(Tensor t) {
    Tensor c = t.contiguous();
    float[] out = new float[(int) c.numel()];
    c.data_ptr_float().get(out);
    return out;
  }
}
