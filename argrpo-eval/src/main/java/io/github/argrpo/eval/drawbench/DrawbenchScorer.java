package io.github.argrpo.eval.drawbench;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;

import io.github.argrpo.core.image.ImageBatch;

/**
 * One column of Table 4: scores images against their prompts as the reference scorer does.
 *
 * <pre>{@code
 * try (DrawbenchScorer s = PickScoreScorer.load(...)) {
 *   double[] v = s.score(images, prompts);        // one value per image, the reference's scale
 * }
 * }</pre>
 *
 * <p>{@link #score} takes the policy's {@code [0, 1]} float images (valid during the call; not closed)
 * and applies {@link ScorerInfo#conversion()} itself. Implementations may hold native memory or
 * connections, released by {@link #close()}.
 */
public interface DrawbenchScorer extends AutoCloseable {

  /** What this scorer computes; {@code info().name()} is its column key. */
  ScorerInfo info();

  /**
   * One score per image, on the scorer's own scale: Table 4 reports the mean divided by
   * {@link ScorerInfo#paperDivisor()} (PickScore's raw {@code exp(logit_scale) * cos} is divided by 26 there).
   *
   * @throws IllegalArgumentException if the counts differ
   */
  double[] score(ImageBatch images, List<String> prompts);

  /** Releases what this scorer holds; the default holds nothing. */
  @Override
  default void close() {}

  /** Checks one prompt per image; for implementations. */
  static void checkCounts(ImageBatch images, List<String> prompts, String name) {
    checkArgument(images != null && prompts != null, "%s: images and prompts must not be null", name);
    checkArgument(images.count() == prompts.size(),
        "%s: %s images but %s prompts; pass one prompt per image", name, images.count(), prompts.size());
  }
}
