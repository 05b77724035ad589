/**
 * The TF-2015 InceptionV3 that FID is defined on, as ported to PyTorch for FID
 * ({@code pt_inception-2015-12-05-6726825d.pth}: torch-fidelity's and pytorch-fid's weights), on
 * libtorch: {@link io.github.argrpo.eval.imagenet.inception.FidInceptionV3} with its
 * {@link io.github.argrpo.eval.imagenet.inception.BasicConv2d} and Inception A-E blocks, and the
 * TF graph's input handling ({@link io.github.argrpo.eval.imagenet.inception.TfBilinearResize}:
 * TF1 {@code ResizeBilinear} to 299 without half-pixel centres, then {@code (x - 128) / 128}).
 */
package io.github.argrpo.eval.imagenet.inception;
