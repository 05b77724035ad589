package io.github.argrpo.eval.imagenet.inception;

/**
 * How {@link FidInceptionV3} runs its convolutions on libtorch. Both choices give the reference's
 * outputs up to float rounding (the parity fixture holds the default and the plain path to the same
 * tolerances); they differ only in speed.
 *
 * <pre>{@code
 * FidInceptionV3 net = FidInceptionV3.load(weights, Precision.FP32);                        // DEFAULT
 * FidInceptionV3 plain = FidInceptionV3.load(weights, Precision.FP32, InceptionKernels.PLAIN);
 * }</pre>
 *
 * @param channelsLast run activations and weights in NHWC ({@code MemoryFormat.ChannelsLast}):
 *     oneDNN's native layout on CPU, so no convolution reorders its input and output between NCHW and
 *     its blocked format (NCHW activations cost a reorder pass each way per convolution)
 * @param foldBatchNorm fold each eval-mode {@code BatchNorm2d(eps = 0.001)} into its convolution once
 *     at load ({@code w * gamma / sqrt(var + eps)}, bias {@code beta - mean * gamma / sqrt(var + eps)},
 *     computed in float64 and rounded once) and apply ReLU in place: one pass over each activation
 *     instead of three
 */
public record InceptionKernels(boolean channelsLast, boolean foldBatchNorm) {

  /** What {@link FidInceptionV3#load(java.nio.file.Path, io.github.argrpo.core.runtime.Precision)} uses: both on. */
  public static final InceptionKernels DEFAULT = new InceptionKernels(true, true);

  /**
   * The reference's op order: NCHW, convolution, then batch norm, then ReLU, each its own pass (for
   * comparisons and A/B measurements).
   */
  public static final InceptionKernels PLAIN = new InceptionKernels(false, false);

  /** A short label for logs and benchmark tables, e.g. {@code channels-last+folded-bn}. */
  public String label() {
    return (channelsLast ? "channels-last" : "nchw") + "+" + (foldBatchNorm ? "folded-bn" : "separate-bn");
  }
}
