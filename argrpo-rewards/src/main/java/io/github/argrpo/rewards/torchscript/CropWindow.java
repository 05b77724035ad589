package io.github.argrpo.rewards.torchscript;

import static com.google.common.base.Preconditions.checkArgument;

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
    checkArgument(top >= 0 && left >= 0 && size >= 1,
        "crop needs top, left >= 0 and size >= 1, got %s, %s, %s", top, left, size);
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
    checkArgument(size >= 1 && count >= 1, "crop size and count must be >= 1, got %s and %s", size, count);
    checkArgument(height >= size && width >= size,
        "images must be at least %sx%s for %s-pixel crops, got %sx%s", size, size, size, width, height);
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
