/**
 * Held-out evaluation: image metrics with an {@code update(images, conditions)} / {@code compute()}
 * life cycle, and the evaluator the trainer runs every few steps on a fixed condition set with fixed
 * seeds, so the reward-hacking the paper reports (section 4.3: the reward keeps rising while FID and IS
 * deteriorate, hence its hand-picked step-100 / step-300 checkpoints) shows up in {@code metrics.jsonl}
 * and picks the {@code best} checkpoint by itself.
 *
 * <p>Metrics are interfaces here; the ImageNet statistics (FID, IS, ...) and the DrawBench scorers
 * live in {@code argrpo-eval}. Any {@link io.github.argrpo.core.reward.RewardFunction} becomes a metric
 * through {@link io.github.argrpo.core.eval.ImageMetric#meanOf}.
 */
package io.github.argrpo.core.eval;
