/**
 * Evaluation exports of the {@code argrpo export} subcommands: the ADM evaluator's {@code .npz}
 * ({@link io.github.argrpo.examples.export.NpzWriter}, {@link io.github.argrpo.examples.export.NpyHeader}),
 * LlamaGen's bicubic 384 -> 256 resize ({@link io.github.argrpo.examples.export.BicubicResize}), the
 * 8-bit conversions ({@link io.github.argrpo.examples.export.Uint8Conversion}), the batched sampling
 * loop they share ({@link io.github.argrpo.examples.export.ImageSampler}) and policy entropy
 * ({@link io.github.argrpo.examples.export.EntropyReport}).
 */
package io.github.argrpo.examples.export;
