package io.github.argrpo.models.vq;

import static org.bytedeco.pytorch.global.torch.upsample_nearest2d;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.runtime.Scopes;

/**
 * The reference {@code Upsample(C)} with {@code resamp_with_conv=True}:
 * {@code F.interpolate(x, scale_factor=2.0, mode="nearest")}, then a 3x3 convolution with padding 1.
 * For an exact factor of 2, nearest interpolation by output size picks the same source pixel
 * ({@code floor(dst / 2)}) as by scale factor.
 *
 * <p>State-dict names: {@code conv.weight}, {@code conv.bias}.
 */
public final class Upsample extends Module {

  private final Conv2dImpl conv;

  /** An upsampling layer over {@code channels} channels. */
  public Upsample(long channels) {
    conv = register_module("conv", Convs.conv3x3(channels, channels));
  }

  /** Doubles the resolution of {@code x (B, C, H, W)}; the result is in the caller's scope. */
  public Tensor forward(Tensor x) {
    PointerScope outer = Scopes.outer();
    try (PointerScope ignored = new PointerScope()) {
      long[] s = x.sizes().vec().get();
      Tensor up = upsample_nearest2d(x, s[2] * 2, s[3] * 2);
      return Scopes.handOut(conv.forward(up), outer);
    }
  }
}
