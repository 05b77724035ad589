package io.github.argrpo.examples.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.eval.imagenet.ImageSource;
import io.github.argrpo.eval.imagenet.RgbImage;
import io.github.argrpo.eval.imagenet.SetFeatures;
import io.github.argrpo.eval.imagenet.adm.FrechetDistance;
import io.github.argrpo.eval.imagenet.inception.FidInceptionV3;

/**
 * Throughput of the FID InceptionV3 feature extractor ({@code argrpo eval imagenet}'s network pass):
 * uint8 images through the TF1 resize to 299 and the network, in images per second, for fp32 and
 * bf16, with the projected time for the 50,000 images of an ADM evaluation. Placeholder weights of the
 * real shapes unless {@code --inception} names the real file (the cost does not depend on the values).
 *
 * <p>With the real weights and real images ({@code --images}: an {@code .npz} or PNG folder, of which
 * the first {@code --fid-images} are used) it also reports the FID between the bf16 and the fp32
 * features of the same images: the distance that bf16 arithmetic alone adds.
 *
 * <pre>
 * argrpo bench inception -- [--precisions fp32,bf16] [--threads 2] [--batch 25] [--iters 3] [--image 256]
 *     [--inception pt_inception-2015-12-05-6726825d.pth] [--images samples.npz] [--fid-images 2000]
 * </pre>
 *
 * <p>On a shared machine launch with {@code OMP_WAIT_POLICY=PASSIVE} (see {@code docs/performance.md}).
 */
public final class InceptionBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(InceptionBenchmark.class);

  private InceptionBenchmark() {}

  /**
   * One measurement.
   *
   * @param precision network arithmetic
   * @param batch images per call
   * @param iters timed calls
   * @param imagesPerSecond images through resize and network per second
   * @param hoursFor50k projected hours for 50,000 images
   */
  public record Result(Precision precision, int batch, int iters, double imagesPerSecond, double hoursFor50k) {}

  /**
   * FID between the bf16 and fp32 pool_3 features of the same images.
   *
   * @param images images compared
   * @param fid the distance
   */
  public record PrecisionFid(int images, double fid) {}

  /** Runs {@link #runExample} and logs a Markdown table. */
  public static void main(String[] args) throws IOException {
    List<Result> results = runExample(args);
    StringBuilder t = new StringBuilder("\n| precision | batch | images/s | hours for 50k |\n| --- | --- | --- | --- |\n");
    for (Result r : results) {
      t.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f |%n", r.precision(), r.batch(), r.imagesPerSecond(),
          r.hoursFor50k()));
    }
    LOG.info("InceptionV3 (FID) features ({} threads):{}", NativeRuntime.threads(), t);
    PrecisionFid f = precisionFid(args);
    if (f != null) {
      LOG.info("FID between bf16 and fp32 features of the same {} images: {}", f.images(),
          String.format(Locale.ROOT, "%.5f", f.fid()));
    }
  }

  /**
   * The bf16-vs-fp32 FID when {@code --inception} and {@code --images} are given, else null.
   */
  public static PrecisionFid precisionFid(String[] args) throws IOException {
    Path weights = null;
    Path imagesPath = null;
    int n = 2000;
    int batch = 25;
    for (int i = 0; i + 1 < args.length; i++) {
      switch (args[i]) {
        case "--inception" -> weights = Path.of(args[i + 1]);
        case "--images" -> imagesPath = Path.of(args[i + 1]);
        case "--fid-images" -> n = Integer.parseInt(args[i + 1]);
        case "--batch" -> batch = Integer.parseInt(args[i + 1]);
        default -> { }
      }
    }
    if (weights == null || imagesPath == null) {
      return null;
    }
    SetFeatures[] sets = new SetFeatures[2];
    Precision[] ps = {Precision.FP32, Precision.BF16};
    for (int k = 0; k < 2; k++) {
      try (FidInceptionV3 net = FidInceptionV3.load(weights, ps[k]);
          ImageSource all = ImageSource.open(imagesPath);
          ImageSource first = new FirstImages(all, n)) {
        sets[k] = SetFeatures.extract(first, net, batch, null);
      }
    }
    return new PrecisionFid(sets[0].pool().rows(),
        FrechetDistance.compute(sets[1].poolStats(), sets[0].poolStats()).value());
  }

  /** The first {@code limit} images of a source. */
  private static final class FirstImages implements ImageSource {
    private final ImageSource source;
    private final int count;
    private int read;

    FirstImages(ImageSource source, int limit) {
      this.source = source;
      this.count = Math.min(limit, source.count());
    }

    @Override
    public int count() {
      return count;
    }

    @Override
    public List<RgbImage> next(int max) throws IOException {
      List<RgbImage> b = source.next(Math.min(max, count - read));
      read += b.size();
      return b;
    }

    @Override
    public void close() {}
  }

  /** Runs the benchmark; tests call it with tiny arguments. */
  public static List<Result> runExample(String[] args) throws IOException {
    List<Precision> precisions = List.of(Precision.FP32, Precision.BF16);
    int threads = 2;
    int batch = 25;
    int iters = 3;
    int image = 256;
    Path weights = null;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--precisions" -> {
          precisions = Arrays.stream(require(args[i], v).split(",")).map(Precision::parse).toList();
          i++;
        }
        case "--threads" -> {
          threads = Integer.parseInt(require(args[i], v));
          i++;
        }
        case "--batch" -> {
          batch = Integer.parseInt(require(args[i], v));
          i++;
        }
        case "--iters" -> {
          iters = Integer.parseInt(require(args[i], v));
          i++;
        }
        case "--image" -> {
          image = Integer.parseInt(require(args[i], v));
          i++;
        }
        case "--inception" -> {
          weights = Path.of(require(args[i], v));
          i++;
        }
        case "--images", "--fid-images" -> {
          require(args[i], v); // read by precisionFid
          i++;
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (use --precisions, --threads, "
            + "--batch, --iters, --image, --inception, --images, --fid-images)");
      }
    }
    if (batch < 1 || iters < 1 || image < 1) {
      throw new IllegalArgumentException("--batch, --iters and --image must be >= 1");
    }
    NativeRuntime.setThreads(threads);
    Random rnd = new Random(1);
    List<RgbImage> images = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      byte[] b = new byte[image * image * 3];
      rnd.nextBytes(b);
      images.add(new RgbImage(b, image, image));
    }
    List<Result> results = new ArrayList<>();
    for (Precision p : precisions) {
      try (FidInceptionV3 net = weights != null ? FidInceptionV3.load(weights, p) : FidInceptionV3.placeholder(p)) {
        LOG.info("InceptionV3 {}: {} convolutions (oneDNN {}), batch {}, {} threads, {} weights", p,
            net.kernels().label(), torch.hasMKLDNN() && torch.globalContext().userEnabledMkldnn() ? "on" : "off",
            batch, NativeRuntime.threads(), weights != null ? weights : "placeholder");
        net.features(images); // warm-up: oneDNN primitive creation, page faults
        long t0 = System.nanoTime();
        for (int k = 0; k < iters; k++) {
          net.features(images);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        double ips = (double) batch * iters / s;
        results.add(new Result(p, batch, iters, ips, 50_000 / ips / 3600));
      }
    }
    return results;
  }

  private static String require(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }
}
