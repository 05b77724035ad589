package io.github.argrpo.eval.imagenet;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * One uint8 RGB image, HWC (row-major, 3 bytes per pixel): what the evaluator feeds its network.
 *
 * @param hwc the pixels, {@code height * width * 3} bytes
 * @param height rows
 * @param width columns
 */
public record RgbImage(byte[] hwc, int height, int width) {

  /** Validates the size. */
  public RgbImage {
    checkNotNull(hwc, "hwc");
    checkArgument(height >= 1 && width >= 1 && (long) height * width * 3 == hwc.length,
        "an %s x %s RGB image needs %s bytes, got %s", height, width, (long) height * width * 3, hwc.length);
  }
}
