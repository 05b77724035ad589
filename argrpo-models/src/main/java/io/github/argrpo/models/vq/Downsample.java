package io.github.argrpo.models.vq;

import static org.bytedeco.pytorch.global.torch.constant_pad_nd;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.runtime.Scopes;

/**
 * The reference {@code Downsample(C)} with {@code resamp_with_conv=True}: zero-pad one column on the
 * right and one row at the bottom ({@code F.pad(x, (0, 1, 0, 1))}, asymmetric), then a 3x3 convolution
 * with stride 2 and padding 0. {@code H x W} becomes {@code H/2 x W/2} for even sizes.
 *
 * <p>State-dict names: {@code conv.weight}, {@code conv.bias}.
 */
public final class Downsample extends Module {

  private final Conv2dImpl conv;

  /** A downsampling layer over {@code channels} channels. */
  public Downsample(long channels) {
    conv = register_module("conv", Convs.conv(channels, channels, 3, 2, 0));
  }

  /** Halves the resolution of {@code x (B, C, H, W)}; the result is in the caller's scope. */
  public Tensor forward(Tensor x) {
    PointerScope outer = Scopes.outer();
    try (PointerScope ignored = new PointerScope()) {
      // pad pairs run from the last dimension: (W left 0, W right 1, H top 0, H bottom 1)
      return Scopes.handOut(conv.forward(constant_pad_nd(x, 0, 1, 0, 1)), outer);
    }
  }
}
