/**
 * The statistics of OpenAI's ADM evaluator ({@code guided-diffusion/evaluations/evaluator.py}, which
 * AR-GRPO's {@code fid_evaluation.py} repeats), reproduced number for number from feature arrays:
 * {@link io.github.argrpo.eval.imagenet.adm.FeatureStatistics} (float32 mean, float64 covariance),
 * {@link io.github.argrpo.eval.imagenet.adm.FrechetDistance} (FID and sFID, with the evaluator's eps
 * retry), {@link io.github.argrpo.eval.imagenet.adm.InceptionScore} (splits of 5000, bias-free logits)
 * and {@link io.github.argrpo.eval.imagenet.adm.ManifoldPrecisionRecall} (improved precision and
 * recall, k = 3, with the evaluator's float16 distances emulated by default).
 *
 * <p>The numerical choices follow {@code fixtures/eval/README.md}, which pins each of them against the
 * evaluator's own code.
 */
package io.github.argrpo.eval.imagenet.adm;
