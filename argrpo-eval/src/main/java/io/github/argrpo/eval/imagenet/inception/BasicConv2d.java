package io.github.argrpo.eval.imagenet.inception;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.MemoryFormat;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Convolution without bias, {@code BatchNorm2d(eps = 0.001)} in eval mode, ReLU: the unit every
 * Inception block is built of. State-dict keys {@code conv.weight} and
 * {@code bn.{weight, bias, running_mean, running_var}}, as in the reference file (no
 * {@code num_batches_tracked}: the loader ignores it where a file has it).
 *
 * <p>The registered tensors stay as loaded (the state dict); {@link #prepare} derives the tensors
 * the forward pass runs on from them once, as {@link InceptionKernels} asks: the batch norm folded
 * into the convolution and/or the weight in channels-last order.
 */
final class BasicConv2d extends Module {

  /** TF's batch-norm epsilon, which the port keeps. */
  static final double BN_EPS = 1e-3;
  private static final long[] DILATION = {1, 1};

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
  // What forward runs on, made by prepare (null until then: the plain path on the registered tensors).
  private Tensor runWeight;
  private Tensor runBias;

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

  /**
   * Derives the tensors the forward pass runs on from the registered ones, in {@code dtype}. Call it
   * again after the registered tensors change. The fold is computed in float64 and rounded once:
   * {@code w' = w * s}, {@code b' = beta - mean * s} with {@code s = gamma / sqrt(var + eps)}.
   */
  void prepare(InceptionKernels k, ScalarType dtype) {
    releaseKernels();
    Tensor w;
    Tensor b = null;
    try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      if (k.foldBatchNorm()) {
        Tensor s = bnWeight.to(ScalarType.Double).div(runningVar.to(ScalarType.Double).add(new Scalar(BN_EPS)).sqrt());
        w = weight.to(ScalarType.Double).mul(s.reshape(-1, 1, 1, 1)).to(dtype);
        b = bnBias.to(ScalarType.Double).sub(runningMean.to(ScalarType.Double).mul(s)).to(dtype);
      } else {
        w = weight.to(dtype);
      }
      // clone: a tensor of its own, never an alias of the registered one that Module.to would recast
      w = k.channelsLast() ? w.contiguous(MemoryFormat.ChannelsLast).clone() : w.contiguous().clone();
      w.retainReference();
      if (b != null) {
        b = b.contiguous();
        b.retainReference();
      }
    }
    runWeight = w;
    runBias = b;
  }

  /** Whether {@link #prepare} made run tensors (else forward runs the plain path). */
  boolean prepared() {
    return runWeight != null;
  }

  /** Frees what {@link #prepare} made; forward then runs the plain path again. */
  void releaseKernels() {
    if (runWeight != null) {
      runWeight.close();
      runWeight = null;
    }
    if (runBias != null) {
      runBias.close();
      runBias = null;
    }
  }

  Tensor forward(Tensor x) {
    if (runBias != null) {
      // folded: the convolution's bias is the batch norm; ReLU in place on the fresh output
      return torch.conv2d(x, runWeight, new TensorOptional(runBias), stride, padding, DILATION, 1).relu_();
    }
    Tensor w = runWeight != null ? runWeight : weight;
    Tensor y = torch.conv2d(x, w, new TensorOptional(), stride, padding, DILATION, 1);
    y = torch.batch_norm(y, new TensorOptional(bnWeight), new TensorOptional(bnBias),
        new TensorOptional(runningMean), new TensorOptional(runningVar), false, 0.0, BN_EPS, false);
    return torch.relu(y);
  }
}
