package io.github.argrpo.core.image;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.runtime.NativeRuntime;

/**
 * A batch of RGB images as a float tensor {@code (N, 3, H, W)} with values in {@code [0, 1]}: the
 * hand-off format of the AR-GRPO code, where the decoder output {@code x} in {@code [-1, 1]} becomes
 * {@code clamp((x + 1) / 2, 0, 1)} before any reward sees it.
 *
 * <p><b>Ownership.</b> The batch holds its own reference to the tensor, independent of any
 * {@code PointerScope}: it stays valid until {@link #close()}, and the tensor passed to
 * {@link #wrap(Tensor)} stays owned by the caller. {@link #tensor()} returns the batch's tensor,
 * valid until the batch is closed.
 *
 * <pre>{@code
 * try (ImageBatch images = tokenizer.decode(tokens)) {
 *   RewardResult r = reward.score(images, conditions);
 *   BufferedImage first = images.toBufferedImage(0);
 * }
 * }</pre>
 */
public final class ImageBatch implements AutoCloseable {

  private final Tensor tensor;
  private final int count;
  private final int height;
  private final int width;
  private boolean closed;

  private ImageBatch(Tensor t) {
    this.tensor = t;
    long[] s = t.sizes().vec().get();
    this.count = (int) s[0];
    this.height = (int) s[2];
    this.width = (int) s[3];
  }

  /**
   * Wraps a float tensor {@code (N, 3, H, W)} in {@code [0, 1]} (values outside are clamped). The
   * batch takes a new reference; the caller keeps ownership of {@code images}.
   */
  public static ImageBatch wrap(Tensor images) {
    NativeRuntime.init();
    long[] s = images.sizes().vec().get();
    if (s.length != 4 || s[1] != 3 || s[0] < 1 || s[2] < 1 || s[3] < 1) {
      throw new IllegalArgumentException("images must be a (N, 3, H, W) tensor with N >= 1, got shape "
          + Arrays.toString(s));
    }
    Tensor own = images.detach().to(ScalarType.Float).clamp(new ScalarOptional(
        new Scalar(0.0)), new ScalarOptional(new Scalar(1.0)))
        .contiguous();
    own.retainReference();
    return new ImageBatch(own);
  }

  /** Builds a batch from Java images of equal size (RGB; alpha ignored); {@code v / 255} per channel. */
  public static ImageBatch fromBufferedImages(List<BufferedImage> images) {
    checkArgument(!images.isEmpty(), "no images given");
    int h = images.get(0).getHeight();
    int w = images.get(0).getWidth();
    float[] data = new float[images.size() * 3 * h * w];
    int plane = h * w;
    for (int n = 0; n < images.size(); n++) {
      BufferedImage im = images.get(n);
      checkArgument(im.getHeight() == h && im.getWidth() == w,
          "image %s is %sx%s, expected %sx%s like image 0", n, im.getWidth(), im.getHeight(), w, h);
      int base = n * 3 * plane;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int rgb = im.getRGB(x, y);
          data[base + y * w + x] = ((rgb >> 16) & 0xff) / 255f;
          data[base + plane + y * w + x] = ((rgb >> 8) & 0xff) / 255f;
          data[base + 2 * plane + y * w + x] = (rgb & 0xff) / 255f;
        }
      }
    }
    return fromArray(data, images.size(), h, w);
  }

  /** Builds a batch from a row-major {@code N*3*H*W} array of values in {@code [0, 1]}. */
  public static ImageBatch fromArray(float[] nchw, int n, int h, int w) {
    checkArgument((long) n * 3 * h * w == nchw.length, "expected %sx3x%sx%s values, got %s", n, h, w, nchw.length);
    NativeRuntime.init();
    try (PointerScope ignored = new PointerScope()) {
      Tensor t = Tensor.create(nchw, n, 3, h, w);
      return wrap(t);
    }
  }

  /** The images, {@code (N, 3, H, W)} float in {@code [0, 1]}; valid until {@link #close()}. */
  public Tensor tensor() {
    checkOpen();
    return tensor;
  }

  /** Number of images. */
  public int count() {
    return count;
  }

  /** Image height in pixels. */
  public int height() {
    return height;
  }

  /** Image width in pixels. */
  public int width() {
    return width;
  }

  /** Image {@code i} as a row-major {@code 3*H*W} float array in {@code [0, 1]}. */
  public float[] pixels(int i) {
    checkOpen();
    checkIndex(i);
    float[] out = new float[3 * height * width];
    try (PointerScope ignored = new PointerScope()) {
      // .cpu(): the batch may live on a CUDA device; data_ptr must be host memory
      Tensor one = tensor.get(i).cpu().contiguous();
      FloatPointer p = new FloatPointer(one.data_ptr_float());
      p.get(out);
    }
    return out;
  }

  /**
   * Image {@code i} as 8-bit RGB, {@code H*W*3} bytes (HWC), converted as {@code to_pil_image} does in
   * the AR-GRPO rewards: {@code (byte) (v * 255)}, truncating, not rounding.
   */
  public byte[] toUint8Hwc(int i) {
    float[] p = pixels(i);
    int plane = height * width;
    byte[] out = new byte[plane * 3];
    for (int c = 0; c < 3; c++) {
      for (int k = 0; k < plane; k++) {
        out[k * 3 + c] = (byte) (int) (p[c * plane + k] * 255f);
      }
    }
    return out;
  }

  /** Image {@code i} as a {@link BufferedImage} (TYPE_INT_RGB), with the truncating conversion of {@link #toUint8Hwc}. */
  public BufferedImage toBufferedImage(int i) {
    byte[] b = toUint8Hwc(i);
    BufferedImage im = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int k = (y * width + x) * 3;
        im.setRGB(x, y, ((b[k] & 0xff) << 16) | ((b[k + 1] & 0xff) << 8) | (b[k + 2] & 0xff));
      }
    }
    return im;
  }

  /** A new batch holding images {@code [from, to)}; the caller closes it. */
  public ImageBatch slice(int from, int to) {
    checkOpen();
    if (from < 0 || to > count || from >= to) {
      throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + count + " images");
    }
    try (PointerScope ignored = new PointerScope()) {
      return wrap(tensor.narrow(0, from, to - from));
    }
  }

  /** Releases this batch's reference to the tensor. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      tensor.releaseReference();
    }
  }

  private void checkOpen() {
    checkState(!closed, "this ImageBatch is closed");
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("image " + i + " of " + count);
    }
  }
}
