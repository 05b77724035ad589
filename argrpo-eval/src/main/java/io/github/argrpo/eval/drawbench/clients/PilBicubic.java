package io.github.argrpo.eval.drawbench.clients;

/**
 * Pillow's {@code Image.resize(size)} (BICUBIC, the default since Pillow 7) on 8-bit RGB, bit for bit:
 * separable Keys cubic ({@code a = -0.5}), the kernel stretched by the scale when shrinking, 22-bit
 * fixed-point weights, an 8-bit rounded intermediate after the horizontal pass.
 *
 * <p>The same algorithm as {@code argrpo-rewards}' package-private {@code PilBicubicResize} (CLIP's
 * preprocessing), which is not public; this copy can become a call once it is.
 */
final class PilBicubic {

  private static final int BITS = 22;

  private PilBicubic() {}

  /** Resizes {@code h x w x 3} interleaved RGB bytes to {@code outH x outW}. */
  static byte[] resize(byte[] src, int w, int h, int outW, int outH) {
    if (src.length != w * h * 3) {
      throw new IllegalArgumentException("expected " + w + "x" + h + "x3 bytes, got " + src.length);
    }
    byte[] img = src;
    if (outW != w) {
      img = pass(img, w, h, outW, true);
    }
    if (outH != h) {
      img = pass(img, outW, h, outH, false);
    }
    return img == src ? src.clone() : img;
  }

  /** One axis: horizontal ({@code in = w} becomes {@code out}) or vertical ({@code in = h}). */
  private static byte[] pass(byte[] src, int w, int h, int out, boolean horizontal) {
    int in = horizontal ? w : h;
    int ow = horizontal ? out : w;
    int oh = horizontal ? h : out;
    double scale = (double) in / out;
    double filterScale = Math.max(scale, 1.0);
    double support = 2.0 * filterScale;
    byte[] dst = new byte[ow * oh * 3];
    for (int i = 0; i < out; i++) {
      double center = (i + 0.5) * scale;
      int lo = Math.max(0, (int) (center - support + 0.5));
      int hi = Math.min(in, (int) (center + support + 0.5));
      double[] k = new double[hi - lo];
      double sum = 0;
      for (int x = 0; x < k.length; x++) {
        k[x] = cubic((x + lo - center + 0.5) / filterScale);
        sum += k[x];
      }
      int[] fixed = new int[k.length];
      for (int x = 0; x < k.length; x++) {
        double v = sum != 0 ? k[x] / sum : k[x];
        fixed[x] = (int) (v < 0 ? -0.5 + v * (1 << BITS) : 0.5 + v * (1 << BITS));
      }
      int lines = horizontal ? h : w;
      for (int line = 0; line < lines; line++) {
        for (int c = 0; c < 3; c++) {
          int ss = 1 << (BITS - 1);
          for (int x = 0; x < fixed.length; x++) {
            int p = horizontal ? (line * w + lo + x) * 3 + c : ((lo + x) * w + line) * 3 + c;
            ss += (src[p] & 0xFF) * fixed[x];
          }
          int v = ss >> BITS;
          int q = horizontal ? (line * ow + i) * 3 + c : (i * ow + line) * 3 + c;
          dst[q] = (byte) (v < 0 ? 0 : Math.min(v, 255));
        }
      }
    }
    return dst;
  }

  private static double cubic(double x) {
    double a = -0.5;
    double t = Math.abs(x);
    if (t < 1) {
      return ((a + 2) * t - (a + 3)) * t * t + 1;
    }
    if (t < 2) {
      return (((t - 5) * t + 8) * t - 4) * a;
    }
    return 0;
  }
}
