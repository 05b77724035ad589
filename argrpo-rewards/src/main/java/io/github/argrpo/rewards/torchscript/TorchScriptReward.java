package io.github.argrpo.rewards.torchscript;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.file.Path;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;
import io.github.argrpo.core.reward.Rewards;
import io.github.argrpo.core.runtime.DeviceSpec;

/**
 * A no-reference image scorer exported to TorchScript, as a reward: the batch is preprocessed
 * ({@link ImagePreprocessing}), fed in chunks of {@link #batchSize()}, and the module's one value per
 * image is the score, unscaled. The condition is ignored.
 *
 * <pre>{@code
 * try (TorchScriptReward iqa = TorchScriptReward.load(Path.of("scorer.pt"),
 *     ImagePreprocessing.builder().resize(224, 224).imagenet().build(), 16, "iqa", DeviceSpec.CPU)) {
 *   RewardResult r = iqa.score(images, conditions);
 * }
 * }</pre>
 *
 * <p>Native memory: the model lives until {@link #close()} (if this reward owns it); each call runs in its
 * own {@code PointerScope}. Thread-safe.
 */
public final class TorchScriptReward implements RewardFunction {

  private final TorchScriptModel model;
  private final boolean ownsModel;
  private final ImagePreprocessing preprocessing;
  private final int batchSize;
  private final String name;

  /**
   * @param model the scorer
   * @param ownsModel whether {@link #close()} closes the model
   * @param preprocessing what happens to the {@code [0, 1]} images first
   * @param batchSize images per forward call, {@code >= 1}
   * @param name metric name
   */
  public TorchScriptReward(TorchScriptModel model, boolean ownsModel, ImagePreprocessing preprocessing, int batchSize,
      String name) {
    checkArgument(model != null && preprocessing != null, "model and preprocessing are required");
    checkArgument(batchSize >= 1, "batchSize must be >= 1, got %s", batchSize);
    Rewards.checkName(name);
    this.model = model;
    this.ownsModel = ownsModel;
    this.preprocessing = preprocessing;
    this.batchSize = batchSize;
    this.name = name;
  }

  /** Loads {@code file} and wraps it; the reward owns the model. */
  public static TorchScriptReward load(Path file, ImagePreprocessing preprocessing, int batchSize, String name,
      DeviceSpec device) {
    TorchScriptModel m = TorchScriptModel.load(file, device);
    try {
      return new TorchScriptReward(m, true, preprocessing, batchSize, name);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** Images per forward call. */
  public int batchSize() {
    return batchSize;
  }

  /** The preprocessing. */
  public ImagePreprocessing preprocessing() {
    return preprocessing;
  }

  @Override
  public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
    RewardFunction.checkCounts(images, conditions, name);
    int n = images.count();
    double[] scores = new double[n];
    try (PointerScope scope = new PointerScope()) {
      Tensor all = images.tensor();
      for (int from = 0; from < n; from += batchSize) {
        int len = Math.min(batchSize, n - from);
        Tensor x = preprocessing.apply(all.narrow(0, from, len));
        double[] s;
        try {
          s = model.forward(x);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(name + ": " + e.getMessage() + " (images are " + images.width() + "x"
              + images.height() + ", preprocessing " + preprocessing + ")", e);
        }
        System.arraycopy(s, 0, scores, from, len);
      }
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
