/**
 * ImageNet evaluation as Table 2 of the paper reports it: FID, sFID, Inception Score, precision and
 * recall of a sample set against an ADM reference batch, computed natively with
 * {@link io.github.argrpo.eval.imagenet.inception the TF-2015 InceptionV3} and
 * {@link io.github.argrpo.eval.imagenet.adm the evaluator's statistics}.
 * {@link io.github.argrpo.eval.imagenet.ImageNetEvaluator} ties them together; samples come from an
 * {@code .npz} ({@code arr_0}, uint8 NHWC, as {@code argrpo export adm-npz} writes it) or a folder of
 * PNGs, streamed in batches.
 */
package io.github.argrpo.eval.imagenet;
