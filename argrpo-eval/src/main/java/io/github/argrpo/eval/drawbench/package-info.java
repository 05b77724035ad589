/**
 * DrawBench and prompt-folder evaluation, the seven columns of the paper's Table 4: CLIP score, HPSv2.1,
 * PickScore, ImageReward, DeQA, the LAION aesthetic score and UnifiedReward, each as AR-GRPO's
 * {@code test_t2i_rewards.py} computes it. {@link io.github.argrpo.eval.drawbench.DrawbenchEvaluation}
 * scores a folder written by {@code argrpo export drawbench} and writes per-image JSONL plus a summary
 * recording model, precision, 8-bit conversion ({@link io.github.argrpo.eval.drawbench.PixelConversion})
 * and normalisation of every scorer.
 */
package io.github.argrpo.eval.drawbench;
