package io.github.argrpo.examples.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.grpo.AdamWFactory;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.examples.bench.BenchConverters.GptPrecision;
import io.github.argrpo.models.llamagen.GptConfig;
import io.github.argrpo.models.llamagen.LlamaGenPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Throughput of the LlamaGen GPT on this machine: CFG sampling tokens/s and teacher-forced
 * forward + backward + AdamW tokens/s, in fp32 and bf16, next to the machine's measured matmul
 * GFLOP/s (random weights; nothing is downloaded).
 *
 * <pre>
 * ./argrpo bench gpt -- [--help] [--preset GPT-B] [--threads 2] [--conditions 4] [--cfg 2.0] [--train-batch 8]
 *     [--repeats 2] [--precisions fp32,bf16] [--device cpu]
 * </pre>
 *
 * <p>Sampling: {@code conditions} class conditions, one sample each, CFG (so {@code 2 x conditions}
 * rows run), all {@code block_size} tokens; tokens/s counts generated image tokens. Training:
 * {@code train-batch x block_size} tokens per step; tokens/s counts them. The best of {@code repeats}
 * timed runs after one warm-up run is reported.
 */
@Command(name = "gpt", mixinStandardHelpOptions = true,
    description = "CFG sampling and training tokens/s of the LlamaGen GPT (random weights), next to the matmul GFLOP/s.")
public final class GptBenchmark implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--preset", defaultValue = "GPT-B", description = "LlamaGen preset: GPT-B, GPT-L, ... (default ${DEFAULT-VALUE}).")
  String preset;

  @Option(names = "--threads", defaultValue = "2", converter = BenchConverters.PositiveInt.class,
      description = "Intra-op threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--conditions", defaultValue = "4", converter = BenchConverters.PositiveInt.class,
      description = "Class conditions sampled together, one sample each (default ${DEFAULT-VALUE}).")
  int conditions;

  @Option(names = "--cfg", defaultValue = "2.0", description = "Classifier-free guidance scale while sampling (default ${DEFAULT-VALUE}).")
  double cfg;

  @Option(names = "--train-batch", defaultValue = "8",
      description = "Sequences per training step; 0 = sampling only (the growth table: L and XL training need far more "
          + "memory) (default ${DEFAULT-VALUE}).")
  int trainBatch;

  @Option(names = "--tokens", defaultValue = "0",
      description = "Image tokens per sequence, e.g. 576 for the 384 px grid (KV-cache growth); 0 = the preset's 256 "
          + "(default ${DEFAULT-VALUE}).")
  int tokens;

  @Option(names = "--repeats", defaultValue = "2", converter = BenchConverters.PositiveInt.class,
      description = "Timed runs after one warm-up run; the best is reported (default ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--precisions", split = ",", defaultValue = "fp32,bf16", converter = BenchConverters.GptPrecisionValue.class,
      description = "Precisions to time, comma-separated: fp32, bf16, bf16-mixed (fp32 weights under bf16 autocast) "
          + "(default ${DEFAULT-VALUE}).")
  List<GptPrecision> precisions;

  @Option(names = "--device", defaultValue = "cpu", converter = BenchConverters.DeviceValue.class,
      description = "cpu, cuda, cuda:N or auto (default ${DEFAULT-VALUE}).")
  DeviceSpec device;

  /** Command-line entry point; prints a result table to standard output and exits with picocli's status. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new GptBenchmark()).execute(args));
  }

  /** Runs the benchmark with the parsed options; prints a result table to standard output. */
  @Override
  public Integer call() {
    GptConfig.preset(preset); // an unknown preset fails here, before the minutes of matmul timing
    if (trainBatch < 0 || tokens < 0) {
      throw new ParameterException(spec.commandLine(), "--train-batch and --tokens must be >= 0, got " + trainBatch
          + " and " + tokens);
    }
    NativeRuntime.init();
    NativeRuntime.setThreads(threads);
    System.out.printf(Locale.ROOT, "LlamaGen %s c2i on %s, %d threads, libtorch %s%n", preset, device, threads, "2.10.0");
    // only the requested precisions: on a CPU without bf16 GEMM kernels (AVX2) the bf16 yardstick alone takes
    // minutes, which an fp32-only run should not pay
    StringBuilder yardstick = new StringBuilder("matmul 2048x2048:");
    Set<Precision> measured = new LinkedHashSet<>();
    for (GptPrecision precision : precisions) {
      if (measured.add(precision.matmuls())) {
        yardstick.append(String.format(Locale.ROOT, " %s %.0f GFLOP/s", precision.matmuls().name().toLowerCase(Locale.ROOT),
            matmulGflops(precision.matmuls().scalarType())));
      }
    }
    System.out.println(yardstick);
    for (GptPrecision precision : precisions) {
      GptConfig.Builder builder = GptConfig.preset(preset).toBuilder().dropout(0.0).precision(precision.weights())
          .bf16Autocast(precision.bf16Autocast());
      // --tokens 576: the 384 px grid (24 x 24), for the KV-cache growth table
      GptConfig config = (tokens > 0 ? builder.blockSize(tokens) : builder).build();
      try (LlamaGenPolicy policy = LlamaGenPolicy.create(config, device)) {
        double sample = samplingTokensPerSecond(policy, conditions, cfg, repeats);
        System.out.printf(Locale.ROOT, "%s sampling: %.1f tokens/s (%d conditions x %d tokens, CFG %.1f)%n",
            precision.label(), sample, conditions, config.blockSize(), cfg);
        if (trainBatch > 0) {
          double train = trainingTokensPerSecond(policy, trainBatch, repeats);
          System.out.printf(Locale.ROOT, "%s training: %.1f tokens/s (%d x %d tokens, forward + backward + AdamW)%n",
              precision.label(), train, trainBatch, config.blockSize());
        }
      }
    }
    return 0;
  }

  /** Best-of-5 2048x2048 matmul throughput in the given dtype. */
  static double matmulGflops(ScalarType dtype) {
    try (PointerScope s = new PointerScope()) {
      int n = 2048;
      Tensor a = torch.randn(n, n).to(dtype);
      Tensor b = torch.randn(n, n).to(dtype);
      a.matmul(b);
      double best = Double.MAX_VALUE;
      for (int i = 0; i < 5; i++) {
        try (PointerScope inner = new PointerScope()) {
          long t0 = System.nanoTime();
          a.matmul(b);
          best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
      }
      return 2.0 * n * n * n / best / 1e9;
    }
  }

  static double samplingTokensPerSecond(LlamaGenPolicy policy, int conditions, double cfg, int repeats) {
    List<Condition> conds = new ArrayList<>();
    for (int i = 0; i < conditions; i++) {
      conds.add(Condition.ofClass((i * 97) % policy.config().numClasses()));
    }
    SamplingConfig sc = SamplingConfig.arGrpo().withCfgScale(cfg);
    double best = Double.MAX_VALUE;
    for (int r = 0; r <= repeats; r++) {
      long t0 = System.nanoTime();
      try (PointerScope s = new PointerScope(); Rollouts ro = policy.sample(conds, 1, sc.withSeed(r))) {
        ro.tokens().cpu(); // waits for the device
      }
      double sec = (System.nanoTime() - t0) / 1e9;
      if (r > 0) {
        best = Math.min(best, sec);
      }
    }
    return (double) conditions * policy.sequenceLength() / best;
  }

  static double trainingTokensPerSecond(LlamaGenPolicy policy, int batch, int repeats) {
    int len = policy.sequenceLength();
    List<Condition> conds = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      conds.add(Condition.ofClass((i * 31) % policy.config().numClasses()));
    }
    AdamW opt = AdamWFactory.create(policy.trainableParameters(), 1e-4, 0.9, 0.95, 1e-8, 0.05);
    Tensor tokens;
    try (NoGradGuard g = new NoGradGuard()) {
      tokens = torch.randint(policy.vocabularySize(), new long[] {batch, len}, new GeneratorOptional(),
          new TensorOptions(ScalarType.Long));
    }
    policy.setTraining(true);
    double best = Double.MAX_VALUE;
    try {
      for (int r = 0; r <= repeats; r++) {
        long t0 = System.nanoTime();
        try (PointerScope s = new PointerScope()) {
          opt.zero_grad(true);
          Tensor loss = policy.trainLoss(conds, tokens);
          loss.backward();
          opt.step();
          loss.cpu(); // waits for the device
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        if (r > 0) {
          best = Math.min(best, sec);
        }
      }
    } finally {
      policy.setTraining(false);
      opt.close();
      tokens.close();
    }
    return (double) batch * len / best;
  }
}
