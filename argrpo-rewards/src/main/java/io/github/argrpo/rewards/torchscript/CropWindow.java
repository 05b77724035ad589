package io.github.argrpo.rewards.torchscript;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One square crop of an image: its top-left corner and side.
 *
 * @param top first row
 * @param left first column
 * @param size side in pixels
 */
public record CropWindow(int top, int left, int size) {

  public CropWindow {
    if (top < 0 || left < 0 || size < 1) {
      throw new IllegalArgumentException("crop needs top, left >= 0 and size >= 1, got " + top + ", " + left + ", " + size);
    }
  }

  /**
   * {@code count} crops of {@code size} for an {@code height x width} image, drawn from a generator seeded
   * with {@code seed}, as MANIQA's {@code predict_one_image}: {@code top = randint(0, H - size)} and
   * {@code left = randint(0, W - size)} with numpy's <em>exclusive</em> upper bound, so the last row and
   * column offsets are never used. Where the reference crashes ({@code randint(0, 0)} for an image of
   * exactly {@code size}), the offset is 0. The same arguments always give the same windows.
   *
   * @throws IllegalArgumentException if the image is smaller than {@code size} in either direction
   */
  public static List<CropWindow> sample(long seed, int height, int width, int size, int count) {
    if (size < 1 || count < 1) {
      throw new IllegalArgumentException("crop size and count must be >= 1, got " + size + " and " + count);
    }
    if (height < size || width < size) {
      throw new IllegalArgumentException("images must be at least " + size + "x" + size + " for " + size
          + "-pixel crops, got " + width + "x" + height);
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    List<CropWindow> out = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      int top = height == size ? 0 : rnd.nextInt(height - size);
      int left = width == size ? 0 : rnd.nextInt(width - size);
      out.add(new CropWindow(top, left, size));
    }
    return List.copyOf(out);
  }
}
