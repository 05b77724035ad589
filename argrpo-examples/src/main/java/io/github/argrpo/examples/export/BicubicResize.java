package io.github.argrpo.examples.export;

import static com.google.common.base.Preconditions.checkArgument;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * LlamaGen's evaluation resize ({@code sample_c2i_ddp.py --image-size 384 --image-size-eval 256}):
 * {@code F.interpolate(samples, size=(256, 256), mode='bicubic')} on the raw fp32 decoder output, before
 * the uint8 conversion: PyTorch's bicubic convolution (a = -0.75), {@code align_corners=False}, no
 * antialiasing (so a 384 -> 256 downscale samples 4x4 neighbourhoods, it does not average 1.5-pixel
 * footprints), borders clamped.
 */
public final class BicubicResize {

  private BicubicResize() {}

  /**
   * {@code x (B, C, H, W)} resized to {@code size x size}, fp32, in the caller's scope; returns
   * {@code x} itself when it is already that size.
   */
  public static Tensor resize(Tensor x, int size) {
    checkArgument(size > 0, "resize target must be > 0 pixels, got %s", size);
    if (x.size(2) == size && x.size(3) == size) {
      return x;
    }
    // the explicit-size overload with empty scale factors: the source-to-target scale is then in/out, as
    // F.interpolate(size=...) passes it. (The long[] overload: a LongArrayRef built from a Java array
    // outside the call would point at a freed copy.)
    return torch.upsample_bicubic2d(x.to(ScalarType.Float), new long[] {size, size}, false, new DoubleOptional(),
        new DoubleOptional());
  }
}
