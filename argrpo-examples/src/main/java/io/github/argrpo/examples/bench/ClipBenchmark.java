package io.github.argrpo.examples.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.rewards.clip.ClipConfig;
import io.github.argrpo.rewards.clip.ClipModel;
import io.github.argrpo.rewards.clip.ClipPreprocess;
import io.github.argrpo.rewards.clip.ClipSimilarity;
import io.github.argrpo.rewards.clip.ClipTokenizer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Throughput of the CLIP-family reward models on CPU: images scored per second by the full reward path
 * (8-bit truncation, the model's reference preprocessing from 256 px policy images, image tower, cosine
 * with a cached text), for CLIP ViT-B/32 (AR-GRPO's CLIP reward) and open_clip ViT-H-14 (HPSv2.1), in fp32
 * and bf16. Weights are random with the real shapes (created directly in the target precision).
 *
 * <pre>
 * ./argrpo bench clip -- --vocab bpe_simple_vocab_16e6.txt.gz \
 *     [--models b32,h14] [--precisions fp32,bf16] [--threads 2] [--iters 3] [--image 256]
 * </pre>
 *
 * <p>On a shared machine launch with {@code OMP_WAIT_POLICY=PASSIVE}: libgomp's spinning worker threads
 * otherwise compete with OpenBLAS's for the same cores (2-3x slower here under load, see
 * {@code docs/performance.md}).
 *
 * <p>Text features are computed once (the first call) and then served from the cache, as in GRPO
 * where the G samples of a group share their prompt; the timed calls measure the image side.
 */
@Command(name = "clip", mixinStandardHelpOptions = true,
    description = "Images/s of the CLIP ViT-B/32 and HPSv2 ViT-H-14 reward paths (random weights), fp32 and bf16.")
public final class ClipBenchmark implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(ClipBenchmark.class);

  @Option(names = "--vocab", required = true, paramLabel = "FILE",
      description = "CLIP's BPE vocabulary, bpe_simple_vocab_16e6.txt.gz (required).")
  Path vocab;

  @Option(names = "--models", split = ",", defaultValue = "b32,h14",
      description = "Models to time, comma-separated: b32 (CLIP ViT-B/32), h14 (open_clip ViT-H-14, HPSv2.1) "
          + "(default ${DEFAULT-VALUE}).")
  List<String> models;

  @Option(names = "--precisions", split = ",", defaultValue = "fp32,bf16", converter = BenchConverters.PrecisionValue.class,
      description = "Precisions to time, comma-separated (default ${DEFAULT-VALUE}).")
  List<Precision> precisions;

  @Option(names = "--threads", defaultValue = "2", converter = BenchConverters.PositiveInt.class,
      description = "Intra-op threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--iters", defaultValue = "3", converter = BenchConverters.PositiveInt.class,
      description = "Timed calls after one warm-up call (default ${DEFAULT-VALUE}).")
  int iters;

  @Option(names = "--image", defaultValue = "256", converter = BenchConverters.PositiveInt.class,
      description = "Side of the random policy images in pixels (default ${DEFAULT-VALUE}).")
  int image;

  @Option(names = "--batch-b32", defaultValue = "8", converter = BenchConverters.PositiveInt.class,
      description = "Images per call for ViT-B/32 (default ${DEFAULT-VALUE}).")
  int batchB32;

  @Option(names = "--batch-h14", defaultValue = "2", converter = BenchConverters.PositiveInt.class,
      description = "Images per call for ViT-H-14 (default ${DEFAULT-VALUE}).")
  int batchH14;

  /** Command-line entry point ({@code argrpo bench clip ...}); exits with picocli's status. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ClipBenchmark()).execute(args));
  }

  /**
   * One measurement.
   *
   * @param model the model measured
   * @param precision weights and activations
   * @param batch images per call
   * @param iters timed calls
   * @param imagesPerSecond images scored per second
   * @param secondsPerBatch seconds per call
   * @param parameters parameter count of the model
   */
  public record Result(String model, Precision precision, int batch, int iters, double imagesPerSecond,
      double secondsPerBatch, long parameters) {}

  /** Runs {@link #measureAll} and logs a Markdown table of the results. */
  @Override
  public Integer call() {
    List<Result> results = measureAll();
    StringBuilder table = new StringBuilder("\n| model | precision | batch | images/s | s/batch | params |\n"
        + "| --- | --- | --- | --- | --- | --- |\n");
    for (Result r : results) {
      table.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f | %.3f | %,d |%n", r.model(), r.precision(),
          r.batch(), r.imagesPerSecond(), r.secondsPerBatch(), r.parameters()));
    }
    LOG.info("CLIP reward throughput ({} threads):{}", NativeRuntime.threads(), table);
    return 0;
  }

  /**
   * Runs the benchmark; tests call it with tiny arguments.
   *
   * @throws ParameterException naming an unknown option, a bad value or the missing {@code --vocab}
   */
  public static List<Result> runExample(String[] args) {
    ClipBenchmark b = new ClipBenchmark();
    new CommandLine(b).parseArgs(args);
    return b.measureAll();
  }

  /** Times each parsed model in each parsed precision. */
  List<Result> measureAll() {
    NativeRuntime.setThreads(threads);
    ClipTokenizer tokenizer = ClipTokenizer.fromBpeVocab(vocab);
    List<Result> out = new ArrayList<>();
    for (String m : models) {
      boolean h14 = m.equals("h14");
      if (!h14 && !m.equals("b32")) {
        throw new IllegalArgumentException("unknown model '" + m + "'; expected b32 or h14");
      }
      for (Precision p : precisions) {
        int batch = h14 ? batchH14 : batchB32;
        out.add(measure(h14 ? "open_clip ViT-H-14 (HPSv2)" : "CLIP ViT-B/32", h14 ? ClipConfig.vitH14() : ClipConfig.vitB32(),
            h14 ? ClipPreprocess.openClip(224) : ClipPreprocess.openAi(224), p, batch, iters, image, tokenizer));
      }
    }
    return out;
  }

  private static Result measure(String label, ClipConfig cfg, ClipPreprocess pre, Precision p, int batch, int iters,
      int image, ClipTokenizer tokenizer) {
    LOG.info("building {} ({}) with random weights", label, p);
    try (ClipModel model = ClipModel.create(cfg, p); ImageBatch images = randomImages(batch, image)) {
      ClipSimilarity sim = new ClipSimilarity(model, tokenizer, pre, null, batch);
      List<String> texts = Collections.nCopies(batch, "a photo of a corgi wearing sunglasses");
      sim.cosinesWithTexts(images, texts); // warm-up, fills the text cache
      long t0 = System.nanoTime();
      for (int i = 0; i < iters; i++) {
        sim.cosinesWithTexts(images, texts);
      }
      double s = (System.nanoTime() - t0) / 1e9;
      Result r = new Result(label, p, batch, iters, batch * iters / s, s / iters, model.parameterCount());
      LOG.info("{} {}: {} images/s ({} s per batch of {})", label, p, String.format(Locale.ROOT, "%.2f",
          r.imagesPerSecond()), String.format(Locale.ROOT, "%.3f", r.secondsPerBatch()), batch);
      return r;
    }
  }

  private static ImageBatch randomImages(int n, int side) {
    Random r = new Random(1);
    float[] px = new float[n * 3 * side * side];
    for (int i = 0; i < px.length; i++) {
      px[i] = r.nextFloat();
    }
    return ImageBatch.fromArray(px, n, side, side);
  }
}
