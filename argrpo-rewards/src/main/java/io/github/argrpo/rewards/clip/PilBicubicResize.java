package io.github.argrpo.rewards.clip;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Pillow's {@code Image.resize(size, BICUBIC)} on 8-bit images, reproduced bit for bit: what CLIP's
 * preprocessing does to a PIL image before anything reaches a tensor.
 *
 * <p>The algorithm (Pillow {@code Resample.c}):
 *
 * <ul>
 *   <li>Separable: a horizontal pass into an 8-bit intermediate image (only over the source rows the
 *       vertical pass will read), then a vertical pass. Each pass rounds and clamps to 0..255.
 *   <li>Keys cubic kernel with {@code a = -0.5}, support 2. When shrinking by {@code scale > 1} the kernel
 *       is stretched by {@code scale} (support {@code 2 * scale}): this is the antialiasing.
 *   <li>Output pixel {@code i} is centred at {@code (i + 0.5) * scale} in source coordinates; its
 *       taps are the source pixels {@code [(int)(center - support + 0.5), (int)(center + support + 0.5))}
 *       clipped to the image, weighted {@code k((j - center + 0.5) / max(scale, 1))} and normalized
 *       to sum 1.
 *   <li>Weights are converted to 22-bit fixed point (rounded half away from zero); sums start at
 *       {@code 2^21} (rounding) and are shifted right by 22, then clamped.
 * </ul>
 *
 * <p>When the size does not change, Pillow returns a copy; so does this class.
 */
public final class PilBicubicResize {

  private static final int PRECISION_BITS = 32 - 8 - 2;
  private static final double SUPPORT = 2.0;

  private PilBicubicResize() {}

  /** Fixed-point taps of one axis: for output {@code i}, {@code count[i]} weights from source index {@code first[i]}. */
  record Taps(int[] first, int[] count, int[][] weights) {}

  /**
   * Resizes an interleaved 8-bit image ({@code h * w * channels} bytes, row-major) to {@code outW x outH},
   * bit for bit as Pillow's {@code Image.resize(..., BICUBIC)}. Public for the evaluation clients that send
   * Pillow-resized images (UnifiedReward).
   */
  public static byte[] resize(byte[] src, int w, int h, int channels, int outW, int outH) {
    checkArgument(src.length == (long) w * h * channels, "expected %sx%sx%s bytes, got %s", w, h, channels, src.length);
    checkArgument(outW >= 1 && outH >= 1, "output size must be positive, got %sx%s", outW, outH);
    if (outW == w && outH == h) {
      return src.clone();
    }
    Taps vert = taps(h, outH);
    byte[] img = src;
    int rows = h;
    int rowOffset = 0;
    if (outW != w) {
      // Only the rows the vertical pass reads are resized horizontally.
      int firstRow = vert.first()[0];
      int lastRow = vert.first()[outH - 1] + vert.count()[outH - 1];
      if (outH == h) {
        firstRow = 0;
        lastRow = h;
      }
      img = horizontal(src, w, channels, firstRow, lastRow, taps(w, outW), outW);
      rows = lastRow - firstRow;
      rowOffset = firstRow;
      w = outW;
    }
    if (outH != h) {
      img = vertical(img, w, channels, rowOffset, vert, outH);
    } else if (rows != h) {
      throw new IllegalStateException("internal: rows " + rows + " != " + h);
    }
    return img;
  }

  /** The fixed-point taps for resizing an axis of {@code in} pixels to {@code out}. */
  static Taps taps(int in, int out) {
    double scale = (double) in / out;
    double filterScale = Math.max(scale, 1.0);
    double support = SUPPORT * filterScale;
    int[] first = new int[out];
    int[] count = new int[out];
    int[][] weights = new int[out][];
    double[] k = new double[(int) Math.ceil(support) * 2 + 1];
    for (int i = 0; i < out; i++) {
      double center = (i + 0.5) * scale;
      double inv = 1.0 / filterScale;
      int xmin = (int) (center - support + 0.5);
      if (xmin < 0) {
        xmin = 0;
      }
      int xmax = (int) (center + support + 0.5);
      if (xmax > in) {
        xmax = in;
      }
      xmax -= xmin;
      double sum = 0;
      for (int x = 0; x < xmax; x++) {
        double v = cubic((x + xmin - center + 0.5) * inv);
        k[x] = v;
        sum += v;
      }
      int[] fixed = new int[xmax];
      for (int x = 0; x < xmax; x++) {
        double v = sum != 0.0 ? k[x] / sum : k[x];
        fixed[x] = (int) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
      }
      first[i] = xmin;
      count[i] = xmax;
      weights[i] = fixed;
    }
    return new Taps(first, count, weights);
  }

  /** Keys' cubic convolution kernel with {@code a = -0.5}. */
  static double cubic(double x) {
    final double a = -0.5;
    double t = Math.abs(x);
    if (t < 1.0) {
      return ((a + 2.0) * t - (a + 3.0)) * t * t + 1;
    }
    if (t < 2.0) {
      return (((t - 5) * t + 8) * t - 4) * a;
    }
    return 0.0;
  }

  private static byte[] horizontal(byte[] src, int w, int ch, int firstRow, int lastRow, Taps t, int outW) {
    byte[] out = new byte[(lastRow - firstRow) * outW * ch];
    for (int y = firstRow; y < lastRow; y++) {
      int srcRow = y * w * ch;
      int dstRow = (y - firstRow) * outW * ch;
      for (int i = 0; i < outW; i++) {
        int[] k = t.weights()[i];
        int x0 = t.first()[i];
        for (int c = 0; c < ch; c++) {
          int ss = 1 << (PRECISION_BITS - 1);
          for (int x = 0; x < k.length; x++) {
            ss += (src[srcRow + (x0 + x) * ch + c] & 0xFF) * k[x];
          }
          out[dstRow + i * ch + c] = clip8(ss);
        }
      }
    }
    return out;
  }

  private static byte[] vertical(byte[] src, int w, int ch, int rowOffset, Taps t, int outH) {
    byte[] out = new byte[outH * w * ch];
    for (int j = 0; j < outH; j++) {
      int[] k = t.weights()[j];
      int y0 = t.first()[j] - rowOffset;
      for (int i = 0; i < w * ch; i++) {
        int ss = 1 << (PRECISION_BITS - 1);
        for (int y = 0; y < k.length; y++) {
          ss += (src[(y0 + y) * w * ch + i] & 0xFF) * k[y];
        }
        out[j * w * ch + i] = clip8(ss);
      }
    }
    return out;
  }

  private static byte clip8(int ss) {
    int v = ss >> PRECISION_BITS;
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }
}
