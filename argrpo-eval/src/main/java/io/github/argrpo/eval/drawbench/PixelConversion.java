package io.github.argrpo.eval.drawbench;

import io.github.argrpo.core.image.ImageBatch;

/**
 * How a scorer turns the policy's {@code [0, 1]} float images into the 8-bit pixels its reference
 * preprocessing starts from. AR-GRPO's evaluation ({@code test_t2i_rewards.py} and
 * {@code reward_utils/*.py}) uses both, per scorer, and the choice moves a pixel by one level:
 * {@code 0.5} becomes 128 rounded and 127 truncated.
 *
 * <pre>{@code
 * byte[] hwc = PixelConversion.ROUND.toUint8Hwc(images, 0);   // PickScore, ImageReward, aesthetic, DeQA, UnifiedReward
 * }</pre>
 *
 * <p>For images read from 8-bit PNG files ({@code v / 255}) both conversions give back the stored bytes
 * exactly, so the choice matters only for float images scored in memory.
 */
public enum PixelConversion {

  /** {@code (x * 255).round().clamp(0, 255)} (half to even, as torch rounds): PickScore, ImageReward, aesthetic, DeQA, UnifiedReward. */
  ROUND("(x * 255).round().clamp(0, 255).to(uint8)"),
  /** {@code to_pil_image(x)}, i.e. {@code (x * 255).to(uint8)}, truncating: CLIP score and HPSv2. */
  TRUNCATE("to_pil_image(x): (x * 255).to(uint8), truncated");

  private final String formula;

  PixelConversion(String formula) {
    this.formula = formula;
  }

  /** The conversion as the reference writes it, recorded in the summary JSON. */
  public String formula() {
    return formula;
  }

  /** One value {@code x} (nominally in {@code [0, 1]}) as an 8-bit level {@code 0..255}. */
  public int toUint8(float x) {
    // float32 product, as torch computes x * 255 on a float tensor
    float v = x * 255f;
    if (!(v > 0f)) {
      return 0; // also NaN: torch's clamp/byte cast of NaN is undefined; 0 is the safe level
    }
    if (v >= 255f) {
      return 255;
    }
    return this == ROUND ? (int) Math.rint(v) : (int) v;
  }

  /** Image {@code i} of {@code images} as {@code H*W*3} bytes (HWC, RGB), converted this way. */
  public byte[] toUint8Hwc(ImageBatch images, int i) {
    int h = images.height();
    int w = images.width();
    int plane = h * w;
    float[] chw = images.pixels(i);
    byte[] out = new byte[plane * 3];
    for (int p = 0; p < plane; p++) {
      for (int c = 0; c < 3; c++) {
        out[p * 3 + c] = (byte) toUint8(chw[c * plane + p]);
      }
    }
    return out;
  }

  /**
   * A new batch holding {@code images} after this conversion, as {@code level / 255}: what a reference
   * scorer's 8-bit preprocessing sees. The caller closes it.
   */
  public ImageBatch quantize(ImageBatch images) {
    int n = images.count();
    int h = images.height();
    int w = images.width();
    int size = 3 * h * w;
    float[] out = new float[n * size];
    for (int b = 0; b < n; b++) {
      float[] chw = images.pixels(b);
      for (int k = 0; k < size; k++) {
        out[b * size + k] = toUint8(chw[k]) / 255f;
      }
    }
    return ImageBatch.fromArray(out, n, h, w);
  }
}
