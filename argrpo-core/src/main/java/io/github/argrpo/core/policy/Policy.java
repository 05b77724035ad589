package io.github.argrpo.core.policy;

import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.condition.Condition;

/**
 * An autoregressive image-token policy: a model that generates a fixed-length sequence of image
 * tokens (a raster-ordered grid) for a condition, one token at a time.
 *
 * <p>GRPO uses it twice per step: {@link #sample} draws a group of sequences per condition (no
 * gradient), and {@link #tokenLogProbs} scores given sequences with teacher forcing (with gradient,
 * when grad mode is on) for the clipped surrogate and the KL against a {@link #frozenCopy()}.
 *
 * <pre>{@code
 * try (Rollouts r = policy.sample(List.of(Condition.ofClass(1)), 8, SamplingConfig.arGrpo().withSeed(7));
 *      PointerScope scope = new PointerScope()) {
 *   Tensor lp = policy.tokenLogProbs(r.sampleConditions(), r.tokens(), LogProbSource.CONDITIONAL, cfg);
 * }
 * }</pre>
 *
 * <p>Implementations own native memory (parameters, caches) and are closed by their creator.
 */
public interface Policy extends AutoCloseable {

  /** Image tokens per sequence ({@code grid * grid}, e.g. 256 for 256 px with VQ-16). */
  int sequenceLength();

  /** Size of the image-token vocabulary (the tokenizer's codebook size). */
  int vocabularySize();

  /**
   * Samples {@code groupSize} sequences for each condition, all in one batched pass, without gradient.
   * Rows are laid out group by group (see {@link Rollouts}). The result does not depend on other
   * conditions in the batch given the seed of {@code config}.
   *
   * @throws IllegalArgumentException if a condition does not fit this policy (wrong kind, class out of
   *     range, text without features) or {@code groupSize < 1}
   */
  Rollouts sample(List<? extends Condition> conditions, int groupSize, SamplingConfig config);

  /**
   * Teacher-forced log-probabilities of {@code tokens} under this policy.
   *
   * @param conditions the condition of every row of {@code tokens}
   * @param tokens {@code (N, L)} int64 image tokens
   * @param source which distribution to score under (see {@link LogProbSource})
   * @param config supplies the temperature, and for {@link LogProbSource#GUIDED} the guidance scale
   *     and interval; sampling filters (top-k, top-p) are not applied
   * @return {@code (N, L)} float32 log-probs, attached to the autograd graph when grad mode is on; owned
   *     by the caller's {@code PointerScope}
   */
  Tensor tokenLogProbs(List<? extends Condition> conditions, Tensor tokens, LogProbSource source, SamplingConfig config);

  /** The parameters GRPO updates (live tensors; do not close them). */
  List<Tensor> trainableParameters();

  /** Every parameter by its reference (state-dict) name (live tensors; do not close them). */
  Map<String, Tensor> namedParameters();

  /**
   * State that is not a parameter but must survive a checkpoint, by name (live tensors; do not close
   * them): for example LlamaGen t2i's {@code cls_embedding.uncond_embedding}, the learned unconditional
   * caption that classifier-free guidance samples against. A checkpoint saves these and restores them
   * in place; none by default.
   */
  default Map<String, Tensor> namedBuffers() {
    return Map.of();
  }

  /**
   * A new policy with the same architecture and a copy of the current weights, with gradients off
   * and in evaluation mode: the frozen reference {@code pi_ref} of the KL term. The caller closes it.
   */
  Policy frozenCopy();

  /**
   * Train mode (dropouts and condition dropout active, as configured) or evaluation mode. GRPO log-probs
   * are computed in evaluation mode, as in the AR-GRPO code.
   */
  void setTraining(boolean training);

  /** Copies every parameter value from {@code other}, which must have the same names and shapes. */
  void loadParametersFrom(Policy other);

  /** Releases the policy's native memory. */
  @Override
  void close();
}
