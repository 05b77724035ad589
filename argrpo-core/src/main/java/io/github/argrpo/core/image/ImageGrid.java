package io.github.argrpo.core.image;

import static com.google.common.base.Preconditions.checkArgument;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;


/**
 * Lays images out in a grid and converts them to 8-bit, exactly as torchvision's {@code make_grid} and
 * {@code save_image} do (the way LlamaGen's demo scripts write their sample sheets).
 *
 * <ul>
 *   <li>Layout ({@code make_grid}): {@code ncol = min(nrow, N)} images per row, {@code ceil(N / ncol)} rows;
 *       every cell is {@code (H + padding) x (W + padding)} and the canvas has one extra {@code padding} at
 *       the right and bottom, filled with {@code padValue}; image {@code k} goes to row {@code k / ncol},
 *       column {@code k % ncol}, at offset {@code padding}. A batch of one image is returned as is, without
 *       any padding, as torchvision does.
 *   <li>8-bit conversion ({@code save_image}): {@code clamp(v * 255 + 0.5, 0, 255)} in fp32, then truncation:
 *       round-half-up, unlike {@link ImageBatch#toUint8Hwc} which truncates (the AR-GRPO reward path).
 * </ul>
 *
 * <pre>{@code
 * BufferedImage sheet = ImageGrid.toBufferedImage(images, 4, 2, 0f);   // nrow 4, padding 2
 * }</pre>
 */
public final class ImageGrid {

  private ImageGrid() {}

  /**
   * The grid of all images of {@code images} in {@code [0, 1]} as an 8-bit RGB image.
   *
   * @param nrow images per grid row (torchvision's name), at least 1
   * @param padding pixels between and around images, at least 0
   * @param padValue the padding's value in {@code [0, 1]}
   */
  public static BufferedImage toBufferedImage(ImageBatch images, int nrow, int padding, float padValue) {
    checkArgument(nrow >= 1, "nrow must be >= 1, got %s", nrow);
    checkArgument(padding >= 0, "padding must be >= 0, got %s", padding);
    int n = images.count();
    int h = images.height();
    int w = images.width();
    float[] px = cpuPixels(images);
    if (n == 1) {
      return place(new int[] {h, w}, px, 1, 1, h, w, 0, padValue);
    }
    int ncol = Math.min(nrow, n);
    int rows = (n + ncol - 1) / ncol;
    int cellH = h + padding;
    int cellW = w + padding;
    int[] size = {cellH * rows + padding, cellW * ncol + padding};
    return place(size, px, n, ncol, h, w, padding, padValue);
  }

  private static BufferedImage place(int[] size, float[] px, int n, int ncol, int h, int w, int padding,
      float padValue) {
    int gh = size[0];
    int gw = size[1];
    int pad = toByte(padValue);
    int padRgb = (pad << 16) | (pad << 8) | pad;
    BufferedImage out = new BufferedImage(gw, gh, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < gh; y++) {
      for (int x = 0; x < gw; x++) {
        out.setRGB(x, y, padRgb);
      }
    }
    int plane = h * w;
    for (int k = 0; k < n; k++) {
      int oy = (k / ncol) * (h + padding) + padding;
      int ox = (k % ncol) * (w + padding) + padding;
      int base = k * 3 * plane;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int i = y * w + x;
          int r = toByte(px[base + i]);
          int g = toByte(px[base + plane + i]);
          int b = toByte(px[base + 2 * plane + i]);
          out.setRGB(ox + x, oy + y, (r << 16) | (g << 8) | b);
        }
      }
    }
    return out;
  }

  /**
   * torchvision's {@code save_image} conversion of one value in {@code [0, 1]}:
   * {@code clamp(v * 255 + 0.5, 0, 255)} computed in fp32, truncated. NaN maps to 0.
   */
  public static int toByte(float v) {
    float y = v * 255f + 0.5f;
    if (!(y > 0f)) {
      return 0;
    }
    return y >= 255f ? 255 : (int) y;
  }

  /** All pixels of the batch as a row-major {@code N*3*H*W} array, copied to the CPU. */
  static float[] cpuPixels(ImageBatch images) {
    float[] out = new float[images.count() * 3 * images.height() * images.width()];
    try (PointerScope ignored = new PointerScope()) {
      Tensor t = images.tensor().to(new Device("cpu"), ScalarType.Float).contiguous();
      new FloatPointer(t.data_ptr_float()).get(out);
    }
    return out;
  }

  /** The grid of all images of {@code batch}, {@code nrow} per row, 2 px black padding (torchvision's defaults). */
  public static BufferedImage of(ImageBatch batch, int nrow) {
    return toBufferedImage(batch, nrow, 2, 0f);
  }

}
