package io.github.argrpo.core.eval;

import java.util.List;
import java.util.Map;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;

/**
 * A metric over a set of generated images, accumulated batch by batch: {@link #update} with each
 * batch, {@link #compute} once, {@link #reset} before the next evaluation. This is the shape of
 * torchmetrics and torch-fidelity, so distribution metrics (FID needs every feature before it can say
 * anything) and per-image means fit the same interface.
 *
 * <pre>{@code
 * try (ImageMetric aesthetic = ImageMetric.meanOf(aestheticScorer)) {
 *   for (ImageBatch b : batches) aesthetic.update(b, conditionsOf(b));
 *   Map<String, Double> values = aesthetic.compute();   // {"aesthetic": 4.81}
 * }
 * }</pre>
 *
 * <p>Implementations read the images during {@code update} and never keep or close them. They need
 * not be thread-safe: the evaluator calls them from one thread.
 */
public interface ImageMetric extends AutoCloseable {

  /** A stable name; the evaluator logs each computed value as {@code eval/<key>}. */
  String name();

  /** Adds a batch (valid only during the call) with one condition per image. */
  void update(ImageBatch images, List<? extends Condition> conditions);

  /**
   * The metric's values over everything added since the last {@link #reset}, by key (for example
   * {@code fid}, {@code inception_score}); a single-valued metric uses its {@link #name()}.
   *
   * @throws IllegalStateException if nothing was added
   */
  Map<String, Double> compute();

  /** Forgets the accumulated images. */
  void reset();

  /** Releases what the metric holds; the default holds nothing. */
  @Override
  default void close() {}

  /**
   * The mean score of a reward model over the evaluated images, with each component's mean as
   * {@code <name>/<component>}: a held-out scorer (PickScore, the aesthetic predictor) used as a metric.
   * NaN scores (the reward could not score an image) are left out of the means. The metric does not
   * close the reward.
   */
  static ImageMetric meanOf(RewardFunction reward) {
    return new MeanRewardMetric(reward);
  }
}
