package io.github.argrpo.core.reward;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;

/**
 * Scores generated images against their conditions: the evaluation phase of a GRPO step.
 *
 * <p>Implementations range from pure Java (sharpness) through libtorch models (CLIP, HPSv2, MANIQA)
 * to remote judges over HTTP. They are composed with {@link Rewards}: weighted sums, scaling and the
 * AR-GRPO quantization.
 *
 * <pre>{@code
 * RewardFunction r = Rewards.weightedSum(Map.of(clip, 1.0, sharpness, 0.5));
 * try (ImageBatch images = tokenizer.decode(tokens)) {
 *   RewardResult scores = r.score(images, conditions);
 * }
 * }</pre>
 *
 * <p>A reward reads the images but never closes them; it may hold native memory of its own, released
 * by {@link #close()}. Implementations are thread-safe unless stated otherwise.
 */
public interface RewardFunction extends AutoCloseable {

  /** A stable name, used as the metric key {@code reward/<name>}. */
  String name();

  /**
   * Scores {@code images} (valid for the duration of the call) against {@code conditions}, one per image.
   *
   * @throws IllegalArgumentException if the counts differ, or an image or condition is of a kind this
   *     reward cannot score
   */
  RewardResult score(ImageBatch images, List<? extends Condition> conditions);

  /** Releases resources this reward holds; the default holds none. */
  @Override
  default void close() {}

  /** Checks that both are given and one condition was given per image; for implementations. */
  static void checkCounts(ImageBatch images, List<? extends Condition> conditions, String rewardName) {
    checkArgument(images != null && conditions != null, "%s: images and conditions must not be null", rewardName);
    checkArgument(images.count() == conditions.size(),
        "%s: %s images but %s conditions; pass one condition per image", rewardName, images.count(), conditions.size());
  }
}
