package io.github.argrpo.eval.imagenet.inception;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The TF graph's input handling for uint8 images: TF1 {@code ResizeBilinear} to 299 x 299
 * ({@code align_corners = False}, no half-pixel centres), then the graph's {@code Sub 128},
 * {@code Mul 0.0078125}. All in float32, as TF computes it, so the result is bit-exact:
 *
 * <ul>
 *   <li>{@code scale = float32(in) / float32(out)}, {@code src = dst * scale};</li>
 *   <li>{@code lo = floor(src)}, {@code hi = min(lo + 1, in - 1)}, {@code f = src - lo};</li>
 *   <li>{@code top = tl + (tr - tl) * fx}, {@code bottom = bl + (br - bl) * fx},
 *       {@code out = top + (bottom - top) * fy}.</li>
 * </ul>
 *
 * <p>Height and width are resized independently, so non-square images work. This is not PyTorch's
 * {@code F.interpolate(bilinear)}, which samples at half-pixel centres: on typical images that moves
 * pool_3 by several percent.
 */
public final class TfBilinearResize {

  /** The network's input size. */
  public static final int SIZE = 299;

  private TfBilinearResize() {}

  /**
   * One image, HWC uint8 (RGB), into {@code out} at {@code offset} as CHW float32 of
   * {@code 3 x size x size}, normalised to about [-1, 1].
   *
   * @throws IllegalArgumentException if {@code hwc} is not {@code h * w * 3} bytes
   */
  public static void resize(byte[] hwc, int h, int w, int size, float[] out, int offset) {
    checkArgument(h >= 1 && w >= 1 && (long) h * w * 3 == hwc.length, "an %s x %s RGB image needs %s bytes, got %s",
        h, w, (long) h * w * 3, hwc.length);
    int[] y0 = new int[size];
    int[] y1 = new int[size];
    float[] fy = new float[size];
    axis(h, size, y0, y1, fy);
    int[] x0 = new int[size];
    int[] x1 = new int[size];
    float[] fx = new float[size];
    axis(w, size, x0, x1, fx);
    int plane = size * size;
    for (int oy = 0; oy < size; oy++) {
      int r0 = y0[oy] * w;
      int r1 = y1[oy] * w;
      float dy = fy[oy];
      for (int ox = 0; ox < size; ox++) {
        float dx = fx[ox];
        int a = (r0 + x0[ox]) * 3;
        int b = (r0 + x1[ox]) * 3;
        int c = (r1 + x0[ox]) * 3;
        int d = (r1 + x1[ox]) * 3;
        for (int ch = 0; ch < 3; ch++) {
          float tl = hwc[a + ch] & 0xff;
          float tr = hwc[b + ch] & 0xff;
          float bl = hwc[c + ch] & 0xff;
          float br = hwc[d + ch] & 0xff;
          float top = tl + (tr - tl) * dx;
          float bottom = bl + (br - bl) * dx;
          float v = top + (bottom - top) * dy;
          out[offset + ch * plane + oy * size + ox] = (v - 128f) * 0.0078125f;
        }
      }
    }
  }

  /** Source indices and fractions along one axis of length {@code in} resized to {@code out}. */
  private static void axis(int in, int out, int[] lo, int[] hi, float[] frac) {
    float scale = (float) in / (float) out;
    for (int i = 0; i < out; i++) {
      float src = i * scale;
      int l = (int) Math.floor(src);
      lo[i] = l;
      hi[i] = Math.min(l + 1, in - 1);
      frac[i] = src - l;
    }
  }
}
