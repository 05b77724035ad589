package io.github.argrpo.examples.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

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
 * argrpo bench inception -- [--help] [--precisions fp32,bf16] [--threads 2] [--batch 25] [--iters 3] [--image 256]
 *     [--inception pt_inception-2015-12-05-6726825d.pth] [--images samples.npz] [--fid-images 2000]
 * </pre>
 *
 * <p>On a shared machine launch with {@code OMP_WAIT_POLICY=PASSIVE} (see {@code docs/performance.md}).
 */
@Command(name = "inception", mixinStandardHelpOptions = true,
    description = "Images per second of the FID InceptionV3 features (resize to 299 and network), fp32 and bf16.")
public final class InceptionBenchmark implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(InceptionBenchmark.class);

  @Option(names = "--precisions", split = ",", defaultValue = "fp32,bf16", converter = BenchConverters.PrecisionValue.class,
      description = "Network arithmetic to time, comma-separated (default ${DEFAULT-VALUE}).")
  List<Precision> precisions;

  @Option(names = "--threads", defaultValue = "2", converter = BenchConverters.PositiveInt.class,
      description = "Intra-op threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--batch", defaultValue = "25", converter = BenchConverters.PositiveInt.class,
      description = "Images per network call, also for the bf16-vs-fp32 FID (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--iters", defaultValue = "3", converter = BenchConverters.PositiveInt.class,
      description = "Timed calls after one warm-up call (default ${DEFAULT-VALUE}).")
  int iters;

  @Option(names = "--image", defaultValue = "256", converter = BenchConverters.PositiveInt.class,
      description = "Side of the random uint8 input images in pixels (default ${DEFAULT-VALUE}).")
  int image;

  @Option(names = "--inception", paramLabel = "FILE",
      description = "The real weights (pt_inception-2015-12-05-6726825d.pth or .safetensors); default: placeholder "
          + "weights of the real shapes.")
  Path weights;

  @Option(names = "--images", paramLabel = "NPZ_OR_DIR",
      description = "Real images (.npz or PNG folder) for the bf16-vs-fp32 FID; needs --inception.")
  Path imagesPath;

  @Option(names = "--fid-images", defaultValue = "2000", converter = BenchConverters.PositiveInt.class,
      description = "How many of the --images the FID uses (default ${DEFAULT-VALUE}).")
  int fidImages;

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

  /** Command-line entry point ({@code argrpo bench inception ...}); exits with picocli's status. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new InceptionBenchmark()).execute(args));
  }

  /** Runs {@link #throughput} and logs a Markdown table, then the bf16-vs-fp32 FID when asked for. */
  @Override
  public Integer call() throws IOException {
    List<Result> results = throughput();
    StringBuilder t = new StringBuilder("\n| precision | batch | images/s | hours for 50k |\n| --- | --- | --- | --- |\n");
    for (Result r : results) {
      t.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f |%n", r.precision(), r.batch(), r.imagesPerSecond(),
          r.hoursFor50k()));
    }
    LOG.info("InceptionV3 (FID) features ({} threads):{}", NativeRuntime.threads(), t);
    PrecisionFid f = precisionFid();
    if (f != null) {
      LOG.info("FID between bf16 and fp32 features of the same {} images: {}", f.images(),
          String.format(Locale.ROOT, "%.5f", f.fid()));
    }
    return 0;
  }

  /**
   * The benchmark with {@code args} parsed as on the command line.
   *
   * @throws ParameterException naming the unknown option or the bad value
   */
  static InceptionBenchmark parse(String[] args) {
    InceptionBenchmark b = new InceptionBenchmark();
    new CommandLine(b).parseArgs(args);
    return b;
  }

  /**
   * The bf16-vs-fp32 FID when {@code --inception} and {@code --images} are given, else null.
   *
   * @throws ParameterException naming an unknown option or a bad value of {@code args}
   */
  public static PrecisionFid precisionFid(String[] args) throws IOException {
    return parse(args).precisionFid();
  }

  /** The bf16-vs-fp32 FID of the parsed options, or null without {@code --inception} and {@code --images}. */
  PrecisionFid precisionFid() throws IOException {
    int n = fidImages;
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

  /**
   * Runs the benchmark; tests call it with tiny arguments.
   *
   * @throws ParameterException naming an unknown option or a bad value
   */
  public static List<Result> runExample(String[] args) throws IOException {
    return parse(args).throughput();
  }

  /** Times the network in each of the parsed precisions. */
  List<Result> throughput() throws IOException {
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
}
