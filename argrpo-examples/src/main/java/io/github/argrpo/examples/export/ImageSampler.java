package io.github.argrpo.examples.export;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.util.List;
import java.util.function.IntConsumer;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.models.llamagen.LlamaGenPolicy;
import io.github.argrpo.models.vq.VqTokenizer;

/**
 * The batched sampling loop of {@code sample} and the exports: {@code perCondition} images for each
 * condition, {@code batchConditions} conditions per generation pass, decoded by the VQ. Each pass is
 * seeded with {@code seed + index of its first condition}, so a run is reproducible for a given batch
 * size.
 */
public final class ImageSampler {

  /** Receives one decoded pass. */
  @FunctionalInterface
  public interface Batch {
    /**
     * @param first index of the pass's first condition in the full list
     * @param conditions the pass's conditions
     * @param rollouts the sampled tokens (rows grouped by condition, {@code perCondition} each)
     * @param raw {@code (rows, 3, H, W)} fp32 raw decoder output (about [-1, 1]), valid during the call
     */
    void accept(int first, List<Condition> conditions, Rollouts rollouts, Tensor raw) throws IOException;
  }

  private ImageSampler() {}

  /**
   * Runs the loop.
   *
   * @param decode whether to decode the tokens ({@code raw} is null otherwise, for entropy-only runs)
   * @param progress told the number of conditions done after each pass; may be null
   */
  public static void run(LlamaGenPolicy policy, VqTokenizer vq, List<Condition> conditions, int perCondition,
      SamplingConfig sampling, int batchConditions, boolean decode, Batch sink, IntConsumer progress) throws IOException {
    run(policy, vq, conditions, 0, perCondition, sampling, batchConditions, decode, sink, progress);
  }

  /**
   * Runs the loop from condition {@code start}, a multiple of {@code batchConditions}: the passes after
   * it are the same as in a run from 0 (a resumed export).
   */
  public static void run(LlamaGenPolicy policy, VqTokenizer vq, List<Condition> conditions, int start, int perCondition,
      SamplingConfig sampling, int batchConditions, boolean decode, Batch sink, IntConsumer progress) throws IOException {
    checkArgument(perCondition >= 1 && batchConditions >= 1,
        "samples per condition and conditions per batch must be >= 1, got %s and %s", perCondition, batchConditions);
    checkArgument(start >= 0 && start % batchConditions == 0,
        "the first condition must be a multiple of the batch (%s), got %s", batchConditions, start);
    for (int first = start; first < conditions.size(); first += batchConditions) {
      List<Condition> chunk = conditions.subList(first, Math.min(conditions.size(), first + batchConditions));
      try (PointerScope scope = new PointerScope();
           Rollouts r = policy.sample(chunk, perCondition, sampling.withSeed(sampling.seed() + first))) {
        Tensor raw = decode ? vq.model().decodeRaw(r.tokens()) : null;
        sink.accept(first, chunk, r, raw);
      }
      if (progress != null) {
        progress.accept(first + chunk.size());
      }
    }
  }
}
