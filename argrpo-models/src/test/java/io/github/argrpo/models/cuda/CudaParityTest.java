package io.github.argrpo.models.cuda;

import static io.github.argrpo.models.llamagen.TensorAsserts.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.policy.LogProbSource;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.models.llamagen.GptConfig;
import io.github.argrpo.models.llamagen.LlamaGenPolicy;
import io.github.argrpo.models.text.t5.T5Config;
import io.github.argrpo.models.text.t5.T5Encoder;
import io.github.argrpo.models.vq.VqConfig;
import io.github.argrpo.models.vq.VqLoader;
import io.github.argrpo.models.vq.VqModel;

/**
 * The CUDA path against the CPU path on tiny random models: the same weights must give the same
 * numbers on both devices (to float tolerance), and sampling on the GPU must be self-consistent.
 * Tagged {@code gpu}: excluded from the default build, run on a CUDA machine with
 * {@code mvn -Pgpu -Dargrpo.excludedGroups=slow -Dgroups=gpu test} (or {@code scripts/device-check.sh});
 * skipped where CUDA is not available.
 */
@Tag("gpu")
class CudaParityTest {

  private static final DeviceSpec CUDA = DeviceSpec.parse("cuda");

  @BeforeAll
  static void requireCuda() {
    NativeRuntime.init();
    assumeTrue(NativeRuntime.cudaAvailable(), "no CUDA device");
  }

  private static GptConfig gpt(Precision p) {
    return GptConfig.builder().dim(64).nLayer(2).nHead(4).vocabSize(64).blockSize(16).numClasses(10)
        .multipleOf(32).dropout(0.0).precision(p).build();
  }

  private static LlamaGenPolicy randomOn(DeviceSpec device, Precision p, long seed) {
    LlamaGenPolicy policy = LlamaGenPolicy.create(gpt(p), device);
    try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      torch.manual_seed(seed);
      for (Tensor t : policy.stateDict().values()) {
        Tensor r = torch.randn(t.shape()).mul(new Scalar(t.dim() == 1 ? 0.1 : 0.3));
        t.copy_(t.dim() == 1 ? r.add(new Scalar(1.0)) : r);
      }
    }
    return policy;
  }

  @Test
  void gptLogProbsOnCudaEqualCpu() {
    try (LlamaGenPolicy cpu = randomOn(DeviceSpec.CPU, Precision.FP32, 3);
        LlamaGenPolicy cuda = LlamaGenPolicy.create(gpt(Precision.FP32), CUDA);
        PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      cuda.loadParametersFrom(cpu);
      List<Condition> conds = List.of(Condition.ofClass(1), Condition.ofClass(7));
      SamplingConfig sc = SamplingConfig.arGrpo().withSeed(5);
      try (Rollouts r = cuda.sample(conds, 2, sc)) {
        Tensor onCuda = cuda.tokenLogProbs(r.sampleConditions(), r.tokens(), LogProbSource.GUIDED, sc).cpu();
        // sampling's own log-probs are the guided teacher-forced ones, on the GPU too
        assertClose("sampling vs teacher-forced on CUDA", onCuda, r.samplingLogProbs().cpu(), 1e-4, 1e-4);
        Tensor onCpu = cpu.tokenLogProbs(r.sampleConditions(), r.tokens().cpu(), LogProbSource.GUIDED, sc);
        assertClose("CUDA vs CPU log-probs", onCuda, onCpu, 1e-4, 1e-4);
        long max = r.tokens().max().cpu().item_long();
        assertThat(max).isLessThan(64);
      }
    }
  }

  @Test
  void bf16GptRunsOnCuda() {
    try (LlamaGenPolicy cuda = randomOn(CUDA, Precision.BF16, 4); PointerScope s = new PointerScope();
        Rollouts r = cuda.sample(List.of(Condition.ofClass(2)), 4, SamplingConfig.arGrpo().withSeed(1))) {
      assertThat(r.tokens().size(0)).isEqualTo(4);
      assertThat(torch.isfinite(r.samplingLogProbs()).all().cpu().item_bool()).isTrue();
    }
  }

  @Test
  void vqDecodeOnCudaEqualsCpu() {
    VqConfig config = VqConfig.builder().channels(32).channelMultipliers(List.of(1, 1, 2)).zChannels(32)
        .codebookSize(64).build();
    try (VqModel cpu = VqModel.create(config, Precision.FP32, DeviceSpec.CPU);
        PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      torch.manual_seed(9);
      for (Tensor t : cpu.stateDict().values()) {
        if (t.is_floating_point()) {
          t.copy_(torch.randn(t.shape()).mul(new Scalar(0.2)));
        }
      }
      try (VqModel cuda = VqLoader.fromStateDict(config, cpu.stateDict(), Precision.FP32, CUDA)) {
        Tensor codes = torch.randint(64, new long[] {2, 16});
        assertClose("VQ decode CUDA vs CPU", cuda.decodeRaw(codes).cpu(), cpu.decodeRaw(codes), 1e-4, 1e-4);
      }
    }
  }

  @Test
  void t5EncoderOnCudaEqualsCpu() throws Exception {
    torch.manual_seed(11);
    T5Encoder cpu = T5Encoder.create(T5Config.tiny(T5Config.FeedForwardProj.GATED_GELU), ScalarType.Float);
    Path dir = Files.createTempDirectory("t5-cuda");
    try {
      cpu.save(dir);
      T5Encoder cuda = T5Encoder.load(dir, ScalarType.Float).toDevice(CUDA);
      try (PointerScope s = new PointerScope()) {
        Tensor ids = torch.randint(100, new long[] {2, 40});
        Tensor mask = torch.ones(new long[] {2, 40});
        assertClose("T5 CUDA vs CPU", cuda.forward(ids, mask).to(new Device("cpu"), ScalarType.Float),
            cpu.forward(ids, mask), 1e-4, 1e-4);
      } finally {
        cuda.close();
      }
    } finally {
      cpu.close();
    }
  }
}
