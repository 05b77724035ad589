package io.github.argrpo.eval.imagenet.inception;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * Convolution without bias, {@code BatchNorm2d(eps = 0.001)} in eval mode, ReLU: the unit every
 * Inception block is built of. State-dict keys {@code conv.weight} and
 * {@code bn.{weight, bias, running_mean, running_var}}, as in the reference file (no
 * {@code num_batches_tracked}: the loader ignores it where a file has it).
 */
final class BasicConv2d extends Module {

  /** TF's batch-norm epsilon, which the port keeps. */
  static final double BN_EPS = 1e-3;

  // Strong references to the child modules: libtorch calls back into their Java peers (train, to),
  // which must not be garbage collected while the network lives.
  private final Module conv;
  private final Module bn;
  private final Tensor weight;
  private final Tensor bnWeight;
  private final Tensor bnBias;
  private final Tensor runningMean;
  private final Tensor runningVar;
  private final long[] stride;
  private final long[] padding;

  /**
   * @param in input channels
   * @param out output channels
   * @param kh kernel height
   * @param kw kernel width
   * @param stride the stride (both directions)
   * @param ph padding top and bottom
   * @param pw padding left and right
   */
  BasicConv2d(long in, long out, long kh, long kw, long stride, long ph, long pw) {
    conv = register_module("conv", new Module());
    bn = register_module("bn", new Module());
    // Keep our own handles: register_* return references into the module's dict, which move as it grows.
    weight = torch.zeros(out, in, kh, kw);
    bnWeight = torch.ones(out);
    bnBias = torch.zeros(out);
    runningMean = torch.zeros(out);
    runningVar = torch.ones(out);
    conv.register_parameter("weight", weight, false);
    bn.register_parameter("weight", bnWeight, false);
    bn.register_parameter("bias", bnBias, false);
    bn.register_buffer("running_mean", runningMean);
    bn.register_buffer("running_var", runningVar);
    this.stride = new long[] {stride, stride};
    this.padding = new long[] {ph, pw};
  }

  /** A square {@code k x k} kernel, stride 1, no padding. */
  static BasicConv2d of(long in, long out, long k) {
    return new BasicConv2d(in, out, k, k, 1, 0, 0);
  }

  /** A square kernel with stride and symmetric padding. */
  static BasicConv2d of(long in, long out, long k, long stride, long pad) {
    return new BasicConv2d(in, out, k, k, stride, pad, pad);
  }

  /** A {@code 1 x k} kernel padded to keep the width ({@code (1, 7)} with padding {@code (0, 3)}). */
  static BasicConv2d row(long in, long out, long k) {
    return new BasicConv2d(in, out, 1, k, 1, 0, k / 2);
  }

  /** A {@code k x 1} kernel padded to keep the height. */
  static BasicConv2d column(long in, long out, long k) {
    return new BasicConv2d(in, out, k, 1, 1, k / 2, 0);
  }

  Tensor forward(Tensor x) {
    Tensor y = torch.conv2d(x, weight, new TensorOptional(), stride, padding, new long[] {1, 1}, 1);
    y = torch.batch_norm(y, new TensorOptional(bnWeight), new TensorOptional(bnBias),
        new TensorOptional(runningMean), new TensorOptional(runningVar), false, 0.0, BN_EPS, false);
    return torch.relu(y);
  }
}
