package io.github.argrpo.examples.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

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

/**
 * Throughput of the CLIP-family reward models on CPU: images scored per second by the full reward path
 * (8-bit truncation, the model's reference preprocessing from 256 px policy images, image tower, cosine
 * with a cached text), for CLIP ViT-B/32 (AR-GRPO's CLIP reward) and open_clip ViT-H-14 (HPSv2.1), in fp32
 * and bf16. Weights are random with the real shapes (created directly in the target precision).
 *
 * <pre>
 * java ... io.github.argrpo.examples.bench.ClipBenchmark --vocab bpe_simple_vocab_16e6.txt.gz \
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
public final class ClipBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(ClipBenchmark.class);

  private ClipBenchmark() {}

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

  /** Runs {@link #runExample} and logs a Markdown table of the results. */
  public static void main(String[] args) {
    List<Result> results = runExample(args);
    StringBuilder table = new StringBuilder("\n| model | precision | batch | images/s | s/batch | params |\n"
        + "| --- | --- | --- | --- | --- | --- |\n");
    for (Result r : results) {
      table.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f | %.3f | %,d |%n", r.model(), r.precision(),
          r.batch(), r.imagesPerSecond(), r.secondsPerBatch(), r.parameters()));
    }
    LOG.info("CLIP reward throughput ({} threads):{}", NativeRuntime.threads(), table);
  }

  /** Runs the benchmark; tests call it with tiny arguments. */
  public static List<Result> runExample(String[] args) {
    String vocab = null;
    List<String> models = List.of("b32", "h14");
    List<Precision> precisions = List.of(Precision.FP32, Precision.BF16);
    int threads = 2;
    int iters = 3;
    int image = 256;
    int batchB32 = 8;
    int batchH14 = 2;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--vocab" -> vocab = v;
        case "--models" -> models = Arrays.asList(v.split(","));
        case "--precisions" -> precisions = Arrays.stream(v.split(",")).map(Precision::parse).toList();
        case "--threads" -> threads = Integer.parseInt(v);
        case "--iters" -> iters = Integer.parseInt(v);
        case "--image" -> image = Integer.parseInt(v);
        case "--batch-b32" -> batchB32 = Integer.parseInt(v);
        case "--batch-h14" -> batchH14 = Integer.parseInt(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; expected --vocab, --models, "
            + "--precisions, --threads, --iters, --image, --batch-b32, --batch-h14");
      }
      i++;
    }
    if (vocab == null) {
      throw new IllegalArgumentException("--vocab <bpe_simple_vocab_16e6.txt.gz> is required");
    }
    NativeRuntime.setThreads(threads);
    ClipTokenizer tokenizer = ClipTokenizer.fromBpeVocab(java.nio.file.Path.of(vocab));
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
      List<String> texts = java.util.Collections.nCopies(batch, "a photo of a corgi wearing sunglasses");
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
