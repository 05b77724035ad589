package io.github.argrpo.rewards.torchscript;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;
import io.github.argrpo.core.reward.Rewards;
import io.github.argrpo.core.runtime.DeviceSpec;

/**
 * MANIQA (KonIQ checkpoint) as AR-GRPO uses it: the mean score of {@link #crops()} random 224x224 crops
 * of each image, from a TorchScript export that maps {@code (K, 3, 224, 224)} crops in {@code [-1, 1]} to
 * {@code K} scores ({@code docs/maniqa-torchscript.md}).
 *
 * <p>Protocol (reference notes {@code rewards.md} section 4.2): the image goes through the truncating
 * 8-bit conversion, {@code (x - 0.5) / 0.5}, no resize; crop offsets follow {@link CropWindow#sample}
 * (numpy's {@code randint(0, H - 224)}: the last row and column are never in a crop, as in the reference);
 * scores are averaged per image. Images must be at least 224x224.
 *
 * <p><b>Crop draws</b> ({@link CropDraw}): by default every call draws new windows, shared by the images
 * of that call, so that over a run every region is scored while the G images of a GRPO group (scored in
 * one call) are judged on the same regions. The windows of call {@code c} are a function of
 * {@link #seed()}, {@code c} and the image size ({@link #windows(long, int, int, int)}), so a run is
 * reproducible from its seed when calls come in a fixed order; the call count restarts when the reward is
 * rebuilt (a resumed run draws other windows than the interrupted one would have), and calls from several
 * scorer threads at once take their numbers in the order they arrive.
 *
 * <p><b>Deviations, on purpose:</b>
 *
 * <ul>
 *   <li>Crops are <em>seeded</em>, and by default shared within a call (the reference draws fresh unseeded
 *       crops per image, which adds noise within a group; {@link CropDraw#PER_IMAGE} does that, seeded).
 *   <li>Crops run batched ({@link #batchSize()} per forward) instead of one at a time.
 *   <li>An image of exactly 224x224 uses offset 0 (the reference's {@code randint(0, 0)} raises).
 * </ul>
 *
 * <p><b>Scale:</b> raw scores, about [0, 1] for KonIQ; the paper's reward is {@code 2 * score}
 * ({@link #PAPER_SCALE}), composed by the caller.
 *
 * <pre>{@code
 * try (ManiqaReward maniqa = ManiqaReward.load(Path.of("maniqa_koniq.pt"), 0L, DeviceSpec.parse("auto"))) {
 *   RewardFunction paper = Rewards.scaled(maniqa, ManiqaReward.PAPER_SCALE, "maniqa");
 * }
 * }</pre>
 *
 * <p>Native memory: the model lives until {@link #close()} (if owned); each call runs in its own
 * {@code PointerScope}. Thread-safe.
 */
public final class ManiqaReward implements RewardFunction {

  /** The metric name. */
  public static final String NAME = "maniqa";
  /** MANIQA's input side. */
  public static final int CROP_SIZE = 224;
  /** Crops per image in the reference. */
  public static final int DEFAULT_CROPS = 20;
  /** AR-GRPO's {@code 2 * score}. */
  public static final double PAPER_SCALE = 2.0;

  private final TorchScriptModel model;
  private final boolean ownsModel;
  private final int crops;
  private final long seed;
  private final int batchSize;
  private final ImagePreprocessing preprocessing;
  private final String name;
  private final CropDraw draw;
  private final AtomicLong calls = new AtomicLong();

  /**
   * @param model the exported scorer
   * @param ownsModel whether {@link #close()} closes the model
   * @param crops crops per image, {@code >= 1} (20 in the reference)
   * @param seed the crop seed
   * @param batchSize crops per forward call, {@code >= 1}
   * @param preprocessing {@link ImagePreprocessing#maniqa()} for the reference; no resize allowed
   * @param name metric name
   * @param draw when new windows are drawn
   */
  public ManiqaReward(TorchScriptModel model, boolean ownsModel, int crops, long seed, int batchSize,
      ImagePreprocessing preprocessing, String name, CropDraw draw) {
    checkArgument(model != null && preprocessing != null && draw != null,
        "model, preprocessing and crop draw are required");
    checkArgument(crops >= 1 && batchSize >= 1, "crops and batchSize must be >= 1, got %s and %s", crops, batchSize);
    checkArgument(!preprocessing.resizes(),
        "MANIQA crops native-resolution patches; a resize in the preprocessing (%s) is not allowed", preprocessing);
    Rewards.checkName(name);
    this.model = model;
    this.ownsModel = ownsModel;
    this.crops = crops;
    this.seed = seed;
    this.batchSize = batchSize;
    this.preprocessing = preprocessing;
    this.name = name;
    this.draw = draw;
  }

  /** As the full constructor with {@link CropDraw#PER_CALL}. */
  public ManiqaReward(TorchScriptModel model, boolean ownsModel, int crops, long seed, int batchSize,
      ImagePreprocessing preprocessing, String name) {
    this(model, ownsModel, crops, seed, batchSize, preprocessing, name, CropDraw.PER_CALL);
  }

  /** The reference protocol (20 crops, 8-bit truncation, {@code [-1, 1]}), 20 crops per forward, owning the model. */
  public static ManiqaReward load(Path file, long seed, DeviceSpec device) {
    TorchScriptModel m = TorchScriptModel.load(file, device);
    return new ManiqaReward(m, true, DEFAULT_CROPS, seed, DEFAULT_CROPS, ImagePreprocessing.maniqa(), NAME);
  }

  @Override
  public String name() {
    return name;
  }

  /** Crops per image. */
  public int crops() {
    return crops;
  }

  /** The crop seed. */
  public long seed() {
    return seed;
  }

  /** Crops per forward call. */
  public int batchSize() {
    return batchSize;
  }

  /** When new windows are drawn. */
  public CropDraw draw() {
    return draw;
  }

  /** How many calls of {@link #score} have drawn windows so far (the next call's index). */
  public long calls() {
    return calls.get();
  }

  /**
   * The windows of image {@code image} in call {@code call} (0-based) for images of {@code height x width}:
   * under {@link CropDraw#FIXED} those of the seed alone, under {@link CropDraw#PER_CALL} those of
   * {@code (seed, call)}, under {@link CropDraw#PER_IMAGE} those of {@code (seed, call, image)}.
   */
  public List<CropWindow> windows(long call, int image, int height, int width) {
    return switch (draw) {
      case FIXED -> CropWindow.sample(seed, height, width, CROP_SIZE, crops);
      case PER_CALL -> CropWindow.sample(streamSeed(call, 0), height, width, CROP_SIZE, crops);
      case PER_IMAGE -> CropWindow.sample(streamSeed(call, image), height, width, CROP_SIZE, crops);
    };
  }

  /** An independent generator seed per (call, image): SplitMix64's finalizer over the three numbers. */
  private long streamSeed(long call, int image) {
    return mix64(mix64(seed ^ mix64(call + 0x9E3779B97F4A7C15L)) ^ (image + 0x632BE59BD9B4E019L));
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
    RewardFunction.checkCounts(images, conditions, name);
    int n = images.count();
    List<List<CropWindow>> windows = new ArrayList<>(n);
    long call = calls.getAndIncrement();
    try {
      if (draw == CropDraw.PER_IMAGE) {
        for (int i = 0; i < n; i++) {
          windows.add(windows(call, i, images.height(), images.width()));
        }
      } else {
        windows.addAll(Collections.nCopies(n, windows(call, 0, images.height(), images.width())));
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
    int total = n * crops;
    double[] cropScores = new double[total];
    try (PointerScope scope = new PointerScope()) {
      // normalization is per pixel, so it commutes with cropping: do it once for the whole batch
      Tensor x = preprocessing.apply(images.tensor());
      for (int from = 0; from < total; from += batchSize) {
        int len = Math.min(batchSize, total - from);
        try (PointerScope chunkScope = new PointerScope()) {
          List<Tensor> parts = new ArrayList<>(len);
          for (int j = from; j < from + len; j++) {
            CropWindow w = windows.get(j / crops).get(j % crops);
            Tensor img = x.narrow(0, j / crops, 1);
            parts.add(img.narrow(2, w.top(), CROP_SIZE).narrow(3, w.left(), CROP_SIZE));
          }
          Tensor chunk = torch.cat(new TensorVector(parts.toArray(new Tensor[0])), 0);
          double[] s;
          try {
            s = model.forward(chunk);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
          }
          System.arraycopy(s, 0, cropScores, from, len);
        }
      }
    }
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int k = 0; k < crops; k++) {
        sum += cropScores[i * crops + k];
      }
      scores[i] = sum / crops;
    }
    return RewardResult.named(name, scores);
  }

  @Override
  public void close() {
    if (ownsModel) {
      model.close();
    }
  }
}
