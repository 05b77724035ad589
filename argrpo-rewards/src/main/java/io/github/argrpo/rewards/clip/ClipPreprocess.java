package io.github.argrpo.rewards.clip;

import static com.google.common.base.Preconditions.checkArgument;

import org.bytedeco.pytorch.InterpolateFuncOptions;
import org.bytedeco.pytorch.LongVector;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.kBicubic;

import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.runtime.NativeRuntime;

/**
 * The image preprocessing of the reference reward models, from the policy's {@code [0, 1]} images to
 * normalized model input {@code [B, 3, S, S]}.
 *
 * <pre>{@code
 * ClipPreprocess pre = ClipPreprocess.openAi(224);      // CLIP score (PIL path)
 * try (PointerScope s = new PointerScope()) {
 *   Tensor pixels = pre.apply(images);                  // [B, 3, 224, 224] fp32, owned by s
 * }
 * }</pre>
 *
 * <p>Both paths start as AR-GRPO hands images to its rewards: {@code to_pil_image(x)}, i.e.
 * {@code uint8(x * 255)} <b>truncated</b>, not rounded. Then:
 *
 * <ul>
 *   <li>{@link #openAi} (OpenAI {@code _transform}, Hugging Face {@code CLIPImageProcessor}): Pillow
 *       bicubic resize of the short side to {@code S} on the 8-bit image ({@link PilBicubicResize},
 *       antialiased, rounded to 8 bits), centre crop, {@code / 255}, OpenAI mean/std.
 *   <li>{@link #openClip} (open_clip's {@code preprocess_val} as HPSv2 builds it): {@code / 255} first,
 *       then torchvision's tensor resize (bicubic, antialias, float, neither rounded nor clamped), centre
 *       crop, OpenAI mean/std.
 * </ul>
 *
 * <p>Resize sizes follow torchvision (and transformers, which copies it): the short side becomes
 * {@code S}, the long side {@code int(S * long / short)}. The crop offsets differ: the Hugging Face
 * processor (the CLIP reward's path, as AR-GRPO runs CLIP through transformers) takes
 * {@code floor((side - S) / 2)}, torchvision's {@code CenterCrop} (HPSv2's path) {@code round((side - S) / 2)}
 * with Python's half-to-even rounding; they disagree when {@code side - S} is 3, 7, 11, ...
 * (never for the square images of the paper).
 *
 * <p>The pixel constants are made on the batch's device and dtype, so a CUDA batch stays on its device.
 */
public final class ClipPreprocess {

  /** OpenAI CLIP normalization mean (RGB). */
  public static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  /** OpenAI CLIP normalization standard deviation (RGB). */
  public static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

  private final int size;
  private final boolean pilPath;

  private ClipPreprocess(int size, boolean pilPath) {
    checkArgument(size >= 1, "preprocess size must be >= 1, got %s", size);
    this.size = size;
    this.pilPath = pilPath;
  }

  /** CLIP's PIL path (OpenAI and Hugging Face processors). */
  public static ClipPreprocess openAi(int size) {
    return new ClipPreprocess(size, true);
  }

  /** open_clip's tensor path used by HPSv2. */
  public static ClipPreprocess openClip(int size) {
    return new ClipPreprocess(size, false);
  }

  /** Output side in pixels. */
  public int size() {
    return size;
  }

  /** Normalized pixels {@code [B, 3, S, S]}, fp32, owned by the caller's {@code PointerScope}. */
  public Tensor apply(ImageBatch images) {
    NativeRuntime.init();
    return pilPath ? applyPil(images) : applyTensor(images);
  }

  /** {@code [h, w]} after resizing the short side of an {@code h x w} image to {@code size}. */
  int[] resizedSize(int h, int w) {
    if (w <= h) {
      return new int[] {(int) ((double) size * h / w), size};
    }
    return new int[] {size, (int) ((double) size * w / h)};
  }

  /** Centre-crop offset along a side of {@code side} pixels: floor (transformers) or round half to even (torchvision). */
  int cropOffset(int side) {
    return pilPath ? Math.floorDiv(side - size, 2) : (int) Math.rint((side - size) / 2.0);
  }

  private Tensor applyPil(ImageBatch images) {
    int n = images.count();
    int h = images.height();
    int w = images.width();
    int[] rs = resizedSize(h, w);
    int top = cropOffset(rs[0]);
    int left = cropOffset(rs[1]);
    int plane = size * size;
    float[] out = new float[n * 3 * plane];
    for (int b = 0; b < n; b++) {
      byte[] resized = PilBicubicResize.resize(images.toUint8Hwc(b), w, h, 3, rs[1], rs[0]);
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          int src = ((y + top) * rs[1] + (x + left)) * 3;
          for (int c = 0; c < 3; c++) {
            // ToTensor divides by 255 in fp32, Normalize subtracts and divides in fp32: same ops here.
            float v = (resized[src + c] & 0xFF) / 255f;
            out[(b * 3 + c) * plane + y * size + x] = (v - MEAN[c]) / STD[c];
          }
        }
      }
    }
    return Tensor.create(out, n, 3, size, size);
  }

  private Tensor applyTensor(ImageBatch images) {
    int h = images.height();
    int w = images.width();
    int[] rs = resizedSize(h, w);
    // to_pil_image truncates x * 255 to uint8; ToTensor then divides by 255.
    Tensor x = images.tensor().mul(new Scalar(255.0)).to(ScalarType.Byte).to(ScalarType.Float).div(new Scalar(255.0));
    if (rs[0] != h || rs[1] != w) {
      InterpolateFuncOptions o = new InterpolateFuncOptions();
      o.size().put(new LongVector(rs[0], rs[1]));
      o.mode().put(new kBicubic());
      o.align_corners().put(false);
      o.antialias().put(true);
      x = torch.interpolate(x, o);
    }
    x = x.narrow(2, cropOffset(rs[0]), size).narrow(3, cropOffset(rs[1]), size);
    // on the batch's device and dtype: a CPU constant against a CUDA batch fails in sub()
    Tensor mean = Tensor.create(MEAN, 1, 3, 1, 1).to(x.device(), x.scalar_type());
    Tensor std = Tensor.create(STD, 1, 3, 1, 1).to(x.device(), x.scalar_type());
    return x.sub(mean).div(std).contiguous();
  }
}
