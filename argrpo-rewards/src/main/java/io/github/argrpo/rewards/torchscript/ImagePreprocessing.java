package io.github.argrpo.rewards.torchscript;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;

import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.InterpolateFuncOptions;
import org.bytedeco.pytorch.LongVector;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.kBicubic;
import org.bytedeco.pytorch.kBilinear;
import org.bytedeco.pytorch.global.torch;

/**
 * How a {@code [0, 1]} image batch becomes a scorer's input, in this order: optional 8-bit truncation,
 * optional resize, then {@code (x - mean) / std} per channel.
 *
 * <pre>{@code
 * ImagePreprocessing maniqa = ImagePreprocessing.maniqa();   // truncate, no resize, (x - 0.5) / 0.5
 * ImagePreprocessing custom = ImagePreprocessing.builder().resize(224, 224).imagenet().build();
 * }</pre>
 *
 * @param truncate8Bit {@code floor(255 x) / 255} first, reproducing the reference's
 *     {@code to_pil_image} ({@code mul(255).byte()} truncates) before its own {@code /255}; default false
 * @param height resize height, or 0 for no resize; default 0
 * @param width resize width, or 0 for no resize; default 0
 * @param resize interpolation of the resize; default {@link ResizeMode#BICUBIC_ANTIALIAS} (PIL-like)
 * @param mean per-channel mean, 3 values; default 0
 * @param std per-channel standard deviation, 3 positive values; default 1
 */
public record ImagePreprocessing(boolean truncate8Bit, int height, int width, ResizeMode resize, float[] mean, float[] std) {

  /** Interpolation of the resize step. */
  public enum ResizeMode {
    /** Bilinear, no antialias (torch's default {@code F.interpolate}). */
    BILINEAR,
    /** Bilinear with antialias (torchvision {@code Resize} on tensors, PIL's bilinear when shrinking). */
    BILINEAR_ANTIALIAS,
    /** Bicubic with antialias (a = -0.5, PIL's bicubic; CLIP-style transforms). */
    BICUBIC_ANTIALIAS
  }

  public ImagePreprocessing {
    checkArgument((height == 0) == (width == 0) && height >= 0 && width >= 0,
        "resize needs both height and width > 0 (or both 0 for none), got %sx%s", height, width);
    checkArgument(resize != null, "resize mode must not be null");
    checkArgument(mean != null && mean.length == 3 && std != null && std.length == 3,
        "mean and std need 3 values (R, G, B), got %s and %s", Arrays.toString(mean), Arrays.toString(std));
    for (int c = 0; c < 3; c++) {
      checkArgument(Float.isFinite(mean[c]) && std[c] > 0 && Float.isFinite(std[c]),
          "mean must be finite and std positive, got mean %s, std %s", Arrays.toString(mean), Arrays.toString(std));
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** The identity: {@code [0, 1]} images as they are. */
  public static ImagePreprocessing none() {
    return builder().build();
  }

  /** {@code (x - 0.5) / 0.5}: {@code [0, 1]} to {@code [-1, 1]}, no truncation, no resize. */
  public static ImagePreprocessing minusOneToOne() {
    return builder().meanStd(0.5f, 0.5f).build();
  }

  /** MANIQA as the reference feeds it: 8-bit truncation, no resize, {@code (x - 0.5) / 0.5}. */
  public static ImagePreprocessing maniqa() {
    return builder().truncate8Bit(true).meanStd(0.5f, 0.5f).build();
  }

  /** A builder with the defaults of the record comment. */
  public static Builder builder() {
    return new Builder();
  }

  /** A copy of the per-channel mean. */
  @Override
  public float[] mean() {
    return mean.clone();
  }

  /** A copy of the per-channel standard deviation. */
  @Override
  public float[] std() {
    return std.clone();
  }

  /** Whether a resize is configured. */
  public boolean resizes() {
    return height > 0;
  }

  /**
   * Applies the steps to {@code images} ({@code (B, 3, H, W)} float in {@code [0, 1]}). The result is a
   * new tensor owned by the caller's {@code PointerScope}.
   */
  public Tensor apply(Tensor images) {
    Tensor x = images;
    if (truncate8Bit) {
      x = x.mul(new Scalar(255.0)).floor().div(new Scalar(255.0));
    }
    if (resizes()) {
      InterpolateFuncOptions o = new InterpolateFuncOptions();
      o.size().put(new LongVector(height, width));
      if (resize == ResizeMode.BICUBIC_ANTIALIAS) {
        o.mode().put(new kBicubic());
      } else {
        o.mode().put(new kBilinear());
      }
      o.align_corners().put(new BoolOptional(false));
      o.antialias().put(resize != ResizeMode.BILINEAR);
      x = torch.interpolate(x, o);
    }
    boolean identity = true;
    for (int c = 0; c < 3; c++) {
      identity &= mean[c] == 0f && std[c] == 1f;
    }
    if (!identity) {
      // built on the CPU, then moved to wherever the images are (a decoder on CUDA hands over CUDA batches)
      Tensor m = Tensor.create(mean, 1, 3, 1, 1).to(x.device(), x.scalar_type());
      Tensor s = Tensor.create(std, 1, 3, 1, 1).to(x.device(), x.scalar_type());
      x = x.sub(m).div(s);
    }
    return x;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImagePreprocessing p && truncate8Bit == p.truncate8Bit && height == p.height && width == p.width
        && resize == p.resize && Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std) + height * 7 + width + (truncate8Bit ? 1 : 0);
  }

  @Override
  public String toString() {
    return "ImagePreprocessing[truncate8Bit=" + truncate8Bit + ", resize=" + (resizes() ? height + "x" + width + " " + resize : "none")
        + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }

  /** Builder of {@link ImagePreprocessing}. */
  public static final class Builder {
    private boolean truncate8Bit;
    private int height;
    private int width;
    private ResizeMode resize = ResizeMode.BICUBIC_ANTIALIAS;
    private float[] mean = {0f, 0f, 0f};
    private float[] std = {1f, 1f, 1f};

    private Builder() {}

    /** See {@link ImagePreprocessing#truncate8Bit()}. */
    public Builder truncate8Bit(boolean v) {
      truncate8Bit = v;
      return this;
    }

    /** Resize to {@code height x width}. */
    public Builder resize(int height, int width) {
      this.height = height;
      this.width = width;
      return this;
    }

    /** See {@link ImagePreprocessing#resize()}. */
    public Builder resizeMode(ResizeMode v) {
      resize = v;
      return this;
    }

    /** Per-channel mean and std. */
    public Builder meanStd(float[] mean, float[] std) {
      this.mean = mean;
      this.std = std;
      return this;
    }

    /** The same mean and std on every channel. */
    public Builder meanStd(float mean, float std) {
      return meanStd(new float[] {mean, mean, mean}, new float[] {std, std, std});
    }

    /** ImageNet mean {@code (0.485, 0.456, 0.406)} and std {@code (0.229, 0.224, 0.225)}. */
    public Builder imagenet() {
      return meanStd(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
    }

    /** Validates and builds. */
    public ImagePreprocessing build() {
      return new ImagePreprocessing(truncate8Bit, height, width, resize, mean, std);
    }
  }
}
