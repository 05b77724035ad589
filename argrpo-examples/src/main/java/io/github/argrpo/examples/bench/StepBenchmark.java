package io.github.argrpo.examples.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.distributed.DistributedContext;
import io.github.argrpo.core.grpo.AdamWGrpoOptimizer;
import io.github.argrpo.core.grpo.GroupAdvantages;
import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.grpo.GrpoLoss;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.core.runtime.Scopes;
import io.github.argrpo.core.train.Checkpointer;
import io.github.argrpo.core.train.Seeds;
import io.github.argrpo.core.train.TrainerConfig;
import io.github.argrpo.examples.bench.BenchConverters.GptPrecision;
import io.github.argrpo.examples.run.ModelSpec;
import io.github.argrpo.examples.run.RunConfig;
import io.github.argrpo.models.llamagen.GptConfig;
import io.github.argrpo.models.llamagen.LlamaGenPolicy;
import io.github.argrpo.models.vq.VqModel;
import io.github.argrpo.models.vq.VqTokenizer;
import io.github.argrpo.rewards.stack.RewardStack;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What one GRPO step of a run config costs on this machine, phase by phase, before anything is
 * downloaded: every model of the config is built at full size with random weights (GPT, VQ, the CLIP
 * and HPSv2 towers), and {@code --steps} real steps of the config's batch, group size, CFG and
 * precision run through the same calls the trainer makes. Per phase it prints seconds, the rate
 * (tokens/s, images/s) and, where the FLOPs are known, the fraction of the matmul or convolution peak
 * measured in the same run.
 *
 * <pre>
 * argrpo bench step -c c2i_B_256 --precision bf16 --threads 2 --steps 2
 * argrpo bench step -c c2i_B_256 --phases sample,decode --conditions 2
 * argrpo launch --nproc 2 --threads-per-rank 1 -- bench step -c c2i_B_256 --threads 1 --conditions 4
 * </pre>
 *
 * <p>Under {@code argrpo launch} every rank takes its share of the conditions and an {@code allreduce} phase
 * (the trainer's gradient all-reduce) runs before the optimizer; each rank prints its own table.
 *
 * <p>Rewards that need files this benchmark cannot fake (MANIQA's TorchScript, a tokenizer-backed judge
 * server) are timed when their files or server are there and otherwise listed as skipped. The phases
 * follow {@code GrpoTrainer.step} and {@code AdamWGrpoOptimizer}: {@code sample} (CFG decoding with the KV
 * cache), {@code decode} (VQ), {@code rewards} (each one), {@code reference} (the frozen pi_ref's
 * teacher-forced pass, no grad), {@code policy} (teacher-forced pass with grad, the GRPO loss and its
 * backward), {@code optimizer} (gradient clipping and AdamW), {@code checkpoint} (policy and optimizer
 * state written to a temporary folder).
 */
@Command(name = "step", mixinStandardHelpOptions = true,
    description = "Times one GRPO step of a run config phase by phase, with random weights at full size.")
public final class StepBenchmark implements Callable<Integer> {

  static final List<String> PHASES = List.of("sample", "decode", "rewards", "reference", "policy", "optimizer", "checkpoint");

  @Option(names = {"-c", "--config"}, required = true, description = "A run config: a bundled name (c2i_B_256) or a YAML file.")
  String config;

  @Option(names = "--set", description = "key.path=value overrides, as for train.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--steps", defaultValue = "2", description = "Timed steps (the first also warms up; default ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--conditions", description = "Conditions per step (default: the config's conditions_per_step).")
  Integer conditions;

  @Option(names = "--precision", converter = BenchConverters.GptPrecisionValue.class,
      description = "fp32 or bf16 for the GPT, VQ and reward towers, or bf16-mixed: the GPT with fp32 weights under "
          + "bf16 autocast, the towers in bf16 (default: the config's).")
  GptPrecision precision;

  @Option(names = "--threads", defaultValue = "2", description = "Intra-op threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--device", description = "Device for every model (default: cpu).", defaultValue = "cpu")
  String device;

  @Option(names = "--phases", split = ",", description = "Phases to run (default all: ${DEFAULT-VALUE}).",
      defaultValue = "sample,decode,rewards,reference,policy,optimizer,checkpoint")
  List<String> phases;

  /** Command-line entry point ({@code argrpo bench step ...}). */
  public static void main(String[] args) {
    int rc = new CommandLine(new StepBenchmark()).execute(args);
    if (rc != 0) {
      throw new IllegalStateException("bench step failed (exit code " + rc + ")");
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = new PrintWriter(System.out, true);
    run(out);
    return 0;
  }

  /** Runs the benchmark, printing to {@code out}; returns the seconds of every phase of the last step. */
  public Map<String, Double> run(PrintWriter out) throws IOException {
    Set<String> wanted = new LinkedHashSet<>();
    for (String p : phases) {
      String q = p.trim().toLowerCase(Locale.ROOT);
      if (!PHASES.contains(q)) {
        throw new IllegalArgumentException("unknown phase '" + p + "'; phases are " + String.join(", ", PHASES));
      }
      wanted.add(q);
    }
    NativeRuntime.init();
    NativeRuntime.setThreads(threads);
    RunConfig rc = RunConfig.load(config, overrides, false);
    DeviceSpec dev = DeviceSpec.parse(device);
    // bf16-mixed: the GPT with fp32 weights under bf16 autocast (as AR-GRPO's c2i), the VQ and reward towers in bf16
    boolean mixed = precision == null ? rc.model().gpt().bf16Autocast() : precision.bf16Autocast();
    Precision prec = mixed ? Precision.BF16 : precision == null ? rc.model().precision() : precision.weights();
    TrainerConfig tc = rc.trainer();
    int globalConds = conditions == null ? tc.conditionsPerStep() : conditions;
    // under `argrpo launch --nproc N` each rank takes its share of the conditions, as the trainer does, and
    // the optimizer phase is preceded by the gradient all-reduce (Gloo): data-parallel scaling on one machine
    DistributedContext dist = DistributedContext.fromEnvironment();
    int world = dist.worldSize();
    if (globalConds % world != 0) {
      dist.close();
      throw new IllegalArgumentException(globalConds + " conditions per step do not split over " + world
          + " processes: use --conditions with a multiple of " + world);
    }
    int conds = globalConds / world;
    int group = tc.groupSize();
    GrpoConfig grpo = tc.grpo();
    SamplingConfig sampling = tc.sampling();
    ScalarType dtype = prec == Precision.BF16 ? ScalarType.BFloat16 : ScalarType.Float;

    double matmul = GptBenchmark.matmulGflops(dtype);
    double conv = convGflops(dtype);
    out.printf(Locale.ROOT, "bench step: %s (%s), %s, %d threads, %s%s%n", config, rc.model().describe(),
        mixed ? ModelSpec.BF16_MIXED : name(prec), threads, dev,
        world > 1 ? String.format(Locale.ROOT, ", rank %d of %d (%d of %d conditions)", dist.rank(), world, conds,
            globalConds) : "");
    out.printf(Locale.ROOT, "batch: %d conditions x %d samples, CFG %.1f, beta %s; machine peaks in %s: matmul %.0f GFLOP/s, "
        + "conv3x3 %.0f GFLOP/s%n", conds, group, sampling.cfgScale(), grpo.beta(), name(prec), matmul, conv);

    GptConfig gc = rc.model().gpt().toBuilder().precision(mixed ? Precision.FP32 : prec).bf16Autocast(mixed).build();
    Map<String, Double> last = new LinkedHashMap<>();
    Path scratch = Files.createTempDirectory("argrpo-bench-step-");
    try (dist; LlamaGenPolicy policy = LlamaGenPolicy.create(gc, dev);
        Policy reference = policy.frozenCopy();
        VqTokenizer vq = VqTokenizer.of(VqModel.create(rc.vq().config(), prec, dev));
        BenchRewards rewards = BenchRewards.build(rc.rewards() == null ? List.of() : rc.rewards(),
            prec, dev, out);
        AdamWGrpoOptimizer opt = new AdamWGrpoOptimizer(policy, grpo)) {
      GptFlops flops = GptFlops.of(policy);
      int len = policy.sequenceLength();
      int n = conds * group;
      for (int step = 1; step <= steps; step++) {
        PhaseClock clock = new PhaseClock(out);
        List<Condition> drawn = BenchConditions.draw(rc, gc, globalConds, Seeds.derive(tc.seed(), step, 0))
            .subList(dist.rank() * conds, (dist.rank() + 1) * conds);
        dist.barrier(); // the ranks start each step together, so a phase's time is comparable across them
        Rollouts r = null;
        ImageBatch images = null;
        try (PointerScope scope = new PointerScope()) {
          clock.start("sample");
          r = policy.sample(drawn, group, sampling.withSeed(step));
          r.tokens().cpu();
          clock.stop();
          if (wanted.contains("decode") || wanted.contains("rewards")) {
            clock.start("decode");
            images = vq.decode(r.tokens());
            clock.stop();
          }
          if (wanted.contains("rewards") && images != null) {
            rewards.time(images, r.sampleConditions(), clock);
          }
          double[] adv = GroupAdvantages.compute(randomRewards(n, step), group, grpo.advantages());
          Tensor advT = Tensor.create(adv, n);
          int micro = grpo.microBatchSize() == 0 ? n : Math.min(grpo.microBatchSize(), n);
          Tensor refLp = null;
          if (wanted.contains("reference") || wanted.contains("policy")) {
            clock.start("reference");
            try (NoGradGuard ng = new NoGradGuard()) {
              Tensor[] parts = new Tensor[(n + micro - 1) / micro];
              PointerScope pass = Scopes.outer();
              for (int i = 0, k = 0; i < n; i += micro, k++) {
                int m = Math.min(micro, n - i);
                // one scope per micro-batch, as the trainer: only the log-probs outlive it
                try (PointerScope one = new PointerScope()) {
                  parts[k] = Scopes.handOut(reference.tokenLogProbs(r.sampleConditions().subList(i, i + m),
                      r.tokens().narrow(0, i, m), grpo.logProbSource(), sampling), pass);
                }
              }
              refLp = torch.cat(new TensorVector(parts), 0);
              refLp.cpu();
            }
            clock.stop();
          }
          if (wanted.contains("policy") || wanted.contains("optimizer")) {
            clock.start("policy");
            opt.adamW().zero_grad(true);
            for (int i = 0; i < n; i += micro) {
              int m = Math.min(micro, n - i);
              try (PointerScope inner = new PointerScope()) {
                Tensor lp = policy.tokenLogProbs(r.sampleConditions().subList(i, i + m), r.tokens().narrow(0, i, m),
                    grpo.logProbSource(), sampling);
                GrpoLoss.Output o = GrpoLoss.compute(lp, null, refLp == null ? null : refLp.narrow(0, i, m), advT.narrow(0, i, m),
                    null, grpo, n, (double) n * len);
                o.loss().backward();
              }
            }
            clock.stop();
            if (world > 1) {
              clock.start("allreduce");
              dist.gradientSynchronizer().synchronize(opt.parameters());
              clock.stop();
            }
            clock.start("optimizer");
            torch.clip_grad_norm_(new TensorVector(opt.parameters().toArray(new Tensor[0])), grpo.maxGradNorm() > 0
                ? grpo.maxGradNorm() : Float.MAX_VALUE, 2.0, false);
            opt.adamW().step();
            clock.stop();
          }
          if (wanted.contains("checkpoint")) {
            clock.start("checkpoint");
            new Checkpointer(scratch, 1).save(step, tc.seed(), policy, opt);
            clock.stop();
          }
        } finally {
          if (images != null) {
            images.close();
          }
          if (r != null) {
            r.close();
          }
        }
        Map<String, Double> sec = clock.seconds();
        double total = sec.values().stream().mapToDouble(Double::doubleValue).sum();
        out.printf(Locale.ROOT, "step %d of %d: %.2f s%s (peak RSS: of each phase, since the phase began)%n", step, steps,
            total, step == 1 ? " (includes warm-up)" : "");
        for (Map.Entry<String, Double> e : sec.entrySet()) {
          out.println("  " + describe(e.getKey(), e.getValue(), flops, conds, group, len, sampling.cfgScale() > 1, matmul, rewards)
              + String.format(Locale.ROOT, "  [peak RSS %.2f GB]", clock.peakGigabytes(e.getKey())));
        }
        last = sec;
      }
      out.printf(Locale.ROOT, "%d image tokens per step%n", n * len);
    } finally {
      deleteTree(scratch);
    }
    return last;
  }

  private static String describe(String phase, double s, GptFlops f, int conds, int group, int len, boolean cfg, double matmul,
      BenchRewards rewards) {
    int n = conds * group;
    double tokens = (double) n * len;
    String base = String.format(Locale.ROOT, "%-22s %8.2f s", phase, s);
    switch (phase) {
      case "sample" -> {
        double fl = f.forwardFlops(cfg ? 2 * n : n, len);
        return base + String.format(Locale.ROOT, "  %8.1f tokens/s  %6.1f%% of matmul peak", tokens / s, 100 * fl / s / 1e9 / matmul);
      }
      case "decode" -> {
        return base + String.format(Locale.ROOT, "  %8.2f images/s", n / s);
      }
      case "reference" -> {
        return base + String.format(Locale.ROOT, "  %8.1f tokens/s  %6.1f%% of matmul peak", tokens / s,
            100 * f.forwardFlops(n, len) / s / 1e9 / matmul);
      }
      case "policy" -> {
        return base + String.format(Locale.ROOT, "  %8.1f tokens/s  %6.1f%% of matmul peak (forward + backward = 3x forward)",
            tokens / s, 100 * 3 * f.forwardFlops(n, len) / s / 1e9 / matmul);
      }
      default -> {
        double rf = rewards.flops(phase, n);
        return rf > 0 ? base + String.format(Locale.ROOT, "  %8.2f images/s  %6.1f%% of matmul peak", n / s, 100 * rf / s / 1e9 / matmul)
            : base;
      }
    }
  }

  private static double[] randomRewards(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = r.nextDouble();
    }
    return out;
  }

  /** Best-of-3 3x3 convolution throughput (256 -> 256 channels, 64 x 64, batch 2) in {@code dtype}. */
  static double convGflops(ScalarType dtype) {
    try (PointerScope s = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      long c = 256;
      long hw = 64;
      long b = 2;
      Tensor x = torch.randn(b, c, hw, hw).to(dtype);
      Tensor w = torch.randn(c, c, 3, 3).to(dtype);
      double best = Double.MAX_VALUE;
      for (int i = 0; i < 4; i++) {
        try (PointerScope inner = new PointerScope()) {
          long t0 = System.nanoTime();
          torch.conv2d(x, w, new TensorOptional(), new long[] {1, 1}, new long[] {1, 1}, new long[] {1, 1}, 1);
          double sec = seconds(t0);
          if (i > 0) {
            best = Math.min(best, sec);
          }
        }
      }
      return 2.0 * b * c * c * 9 * hw * hw / best / 1e9;
    }
  }

  private static String name(Precision p) {
    return p.name().toLowerCase(Locale.ROOT);
  }

  static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void deleteTree(Path p) {
    try (var s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
