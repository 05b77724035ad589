package io.github.argrpo.models.vq;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;

/**
 * Builds the libtorch {@code Conv2d} layers of the VQ model (always with bias, as the reference
 * {@code nn.Conv2d} defaults), as {@link VqConv2d}s. Their parameters are named {@code weight} and
 * {@code bias}, like PyTorch's.
 */
final class Convs {

  private Convs() {}

  /** A {@code kernel x kernel} convolution with the given stride and symmetric zero padding. */
  static Conv2dImpl conv(long in, long out, long kernel, long stride, long padding) {
    Conv2dOptions o = new Conv2dOptions(in, out, new LongPointer(kernel, kernel));
    o.stride().put(new long[] {stride, stride});
    o.padding().put(new LongPointer(padding, padding));
    return new VqConv2d(o, stride, padding);
  }

  /** 3x3, stride 1, padding 1: resolution-preserving. */
  static Conv2dImpl conv3x3(long in, long out) {
    return conv(in, out, 3, 1, 1);
  }

  /** 1x1 (the {@code q/k/v/proj_out}, {@code nin_shortcut}, {@code quant_conv}, {@code post_quant_conv}). */
  static Conv2dImpl conv1x1(long in, long out) {
    return conv(in, out, 1, 1, 0);
  }
}
