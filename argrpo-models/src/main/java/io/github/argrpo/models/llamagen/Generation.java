package io.github.argrpo.models.llamagen;

import org.bytedeco.pytorch.Tensor;

/**
 * What {@link CfgSampler} produced for {@code N} rows and {@code L} image tokens. The tensors belong to
 * the {@code PointerScope} that was open around the sampling call.
 *
 * @param tokens {@code (N, L)} int64 sampled (or greedy) tokens
 * @param logProbs {@code (N, L)} fp32 log-probability of each token under the distribution it was
 *     drawn from (guided, tempered, filtered)
 * @param entropy {@code (N, L)} fp32 entropy of the guided logits before temperature and filtering
 *     (AR-GRPO's {@code entropy} metric)
 * @param guidedLogits {@code (N, L, V)} fp32 guided logits of every step (the reference's
 *     {@code cfg_logits}), or null unless asked for
 */
public record Generation(Tensor tokens, Tensor logProbs, Tensor entropy, Tensor guidedLogits) {}
