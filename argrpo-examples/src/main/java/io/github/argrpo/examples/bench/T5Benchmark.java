package io.github.argrpo.examples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.models.text.t5.T5Config;
import io.github.argrpo.models.text.t5.T5Encoder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Throughput of the native FLAN-T5 encoder: prompts of about 30 real tokens (a COCO caption) encoded
 * per second, FLAN-T5-XL shapes with random weights, fp32 and bf16, run at LlamaGen's full 120 positions
 * ({@code --length 120}, padding masked) or at the prompt's own length ({@code --length 30}, what
 * {@code T5TextEncoder} runs: the longest prompt of the batch). This is the cost of
 * {@code argrpo encode-text} and of {@code conditions.t5} per drawn prompt.
 *
 * <pre>
 * ./argrpo bench t5 -- [--help] [--model xl|tiny] [--precisions fp32,bf16] [--batches 1,8] [--lengths 120,30] [--iters 3] [--threads 2]
 * </pre>
 */
@Command(name = "t5", mixinStandardHelpOptions = true,
    description = "Prompts/s of the native FLAN-T5 encoder (random weights, prompts of 30 real tokens), fp32 and bf16.")
public final class T5Benchmark implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(T5Benchmark.class);
  private static final int VALID = 30;

  @Option(names = "--model", defaultValue = "xl",
      description = "xl (FLAN-T5-XL shapes) or tiny (a few-layer encoder for tests) (default ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--precisions", split = ",", defaultValue = "fp32,bf16", converter = BenchConverters.PrecisionValue.class,
      description = "Precisions to time, comma-separated (default ${DEFAULT-VALUE}).")
  List<Precision> precisions;

  @Option(names = "--batches", split = ",", defaultValue = "1,8", converter = BenchConverters.PositiveInt.class,
      description = "Prompts per forward, comma-separated (default ${DEFAULT-VALUE}).")
  List<Integer> batches;

  @Option(names = "--lengths", split = ",", defaultValue = "120,30", converter = BenchConverters.PositiveInt.class,
      description = "Positions run per prompt, comma-separated, each >= 30 (default ${DEFAULT-VALUE}).")
  List<Integer> lengths;

  @Option(names = "--iters", defaultValue = "3", converter = BenchConverters.PositiveInt.class,
      description = "Timed forwards after one warm-up forward (default ${DEFAULT-VALUE}).")
  int iters;

  @Option(names = "--threads", defaultValue = "2", converter = BenchConverters.PositiveInt.class,
      description = "Intra-op threads (default ${DEFAULT-VALUE}).")
  int threads;

  /** Command-line entry point ({@code argrpo bench t5 ...}); exits with picocli's status. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new T5Benchmark()).execute(args));
  }

  /**
   * One measurement.
   *
   * @param precision weights and activations
   * @param batch prompts per forward
   * @param length positions run per prompt
   * @param promptsPerSecond prompts encoded per second
   * @param secondsPerBatch seconds per forward
   */
  public record Result(Precision precision, int batch, int length, double promptsPerSecond, double secondsPerBatch) {}

  /** Runs {@link #measureAll} and logs a Markdown table of the results. */
  @Override
  public Integer call() {
    List<Result> results = measureAll();
    StringBuilder table = new StringBuilder("\n| precision | batch | positions | prompts/s | s/batch |\n"
        + "| --- | --- | --- | --- | --- |\n");
    for (Result r : results) {
      table.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %.3f |%n", r.precision(), r.batch(), r.length(),
          r.promptsPerSecond(), r.secondsPerBatch()));
    }
    LOG.info("T5 encoder throughput, {} real tokens per prompt ({} threads):{}", VALID, NativeRuntime.threads(), table);
    return 0;
  }

  /**
   * Runs the benchmark; tests call it with {@code --model tiny}.
   *
   * @throws ParameterException naming an unknown option or a bad value
   */
  public static List<Result> runExample(String[] args) {
    T5Benchmark b = new T5Benchmark();
    new CommandLine(b).parseArgs(args);
    return b.measureAll();
  }

  /** Times the encoder for each parsed precision, length and batch. */
  List<Result> measureAll() {
    T5Config config = switch (model) {
      case "xl" -> T5Config.flanT5Xl();
      case "tiny" -> T5Config.tiny(T5Config.FeedForwardProj.GATED_GELU);
      default -> throw new IllegalArgumentException("--model must be xl or tiny, got '" + model + "'");
    };
    NativeRuntime.setThreads(threads);
    List<Result> out = new ArrayList<>();
    for (Precision p : precisions) {
      LOG.info("building a {} T5 encoder with random weights ({})", model, p);
      T5Encoder encoder = T5Encoder.create(config, p.scalarType());
      try {
        for (int length : lengths) {
          if (length < VALID) {
            throw new IllegalArgumentException("--lengths must be >= " + VALID + " (the prompt's tokens), got " + length);
          }
          for (int b : batches) {
            out.add(measure(encoder, config, p, b, length, iters));
          }
        }
      } finally {
        encoder.close();
      }
    }
    return out;
  }

  private static Result measure(T5Encoder encoder, T5Config config, Precision p, int batch, int length, int iters) {
    long[] ids = new long[batch * length];
    long[] mask = new long[batch * length];
    for (int r = 0; r < batch; r++) {
      for (int k = 0; k < VALID; k++) {
        ids[r * length + k] = 3 + (k * 7919L + r) % (config.vocabSize() - 3);
        mask[r * length + k] = 1;
      }
      ids[r * length + VALID - 1] = 1; // </s>
    }
    try (PointerScope s = new PointerScope()) {
      Tensor idT = Tensor.create(ids, batch, length);
      Tensor maskT = Tensor.create(mask, batch, length);
      try (PointerScope warm = new PointerScope()) {
        encoder.forward(idT, maskT);
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < iters; i++) {
        try (PointerScope step = new PointerScope()) {
          torch.sum(encoder.forward(idT, maskT)).item_float();
        }
      }
      double sec = (System.nanoTime() - t0) / 1e9 / iters;
      Result r = new Result(p, batch, length, batch / sec, sec);
      LOG.info("T5 {} batch {} x {} positions: {} prompts/s ({} s per forward)", p, batch, length,
          String.format(Locale.ROOT, "%.2f", r.promptsPerSecond()), String.format(Locale.ROOT, "%.3f", sec));
      return r;
    }
  }
}
