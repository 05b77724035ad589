package io.github.argrpo.rewards.pixel;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;

/**
 * JPEG (in)compressibility, the demo reward of DDPO and Flow-GRPO: the size of the image encoded as a
 * JPEG at a fixed quality.
 *
 * <p>The image goes through the same truncating 8-bit conversion the AR-GRPO rewards use
 * ({@link ImageBatch#toBufferedImage}), is encoded with the JDK's {@code javax.imageio} JPEG writer at
 * {@link #quality()} (default 0.95, DDPO's 95), and the byte count {@code b} becomes:
 *
 * <ul>
 *   <li>{@link Unit#KILOBYTES}: {@code b / 1000} (DDPO's kB, so a 256x256 photo-like image is 10-40);
 *   <li>{@link Unit#BITS_PER_PIXEL}: {@code 8 b / (H W)}, comparable across resolutions (about 0.5-4).
 * </ul>
 *
 * <p>{@link #compressibility} negates it (higher reward = smaller file: flat, smooth images), and
 * {@link #incompressibility} keeps it positive (more detail, or noise). Sizes are not byte-identical to
 * PIL/libjpeg; the ordering of images is what matters for GRPO's group-relative advantages. The
 * condition is ignored.
 *
 * <pre>{@code
 * RewardFunction r = JpegCompressibilityReward.compressibility(Unit.KILOBYTES, 0.95f);
 * }</pre>
 *
 * <p>Thread-safe: each call uses its own JPEG writer.
 */
public final class JpegCompressibilityReward implements RewardFunction {

  /** How the compressed size is reported. */
  public enum Unit {
    /** Kilobytes, {@code bytes / 1000} (DDPO, Flow-GRPO). */
    KILOBYTES,
    /** Bits per pixel, {@code 8 * bytes / (H * W)}. */
    BITS_PER_PIXEL
  }

  /** Metric name of the negated size. */
  public static final String COMPRESSIBILITY = "jpeg_compressibility";
  /** Metric name of the plain size. */
  public static final String INCOMPRESSIBILITY = "jpeg_incompressibility";

  private final Unit unit;
  private final float quality;
  private final double sign;
  private final String name;

  private JpegCompressibilityReward(Unit unit, float quality, double sign, String name) {
    checkArgument(unit != null, "unit must not be null; use KILOBYTES or BITS_PER_PIXEL");
    checkArgument(quality > 0f && quality <= 1f,
        "JPEG quality must be in (0, 1] (0.95 = PIL quality 95), got %s", quality);
    this.unit = unit;
    this.quality = quality;
    this.sign = sign;
    this.name = name;
  }

  /** {@code -size}: smaller files score higher. */
  public static JpegCompressibilityReward compressibility(Unit unit, float quality) {
    return new JpegCompressibilityReward(unit, quality, -1, COMPRESSIBILITY);
  }

  /** {@code +size}: larger files score higher. */
  public static JpegCompressibilityReward incompressibility(Unit unit, float quality) {
    return new JpegCompressibilityReward(unit, quality, 1, INCOMPRESSIBILITY);
  }

  /** The DDPO setting: negative kB at quality 0.95. */
  public static JpegCompressibilityReward ddpo() {
    return compressibility(Unit.KILOBYTES, 0.95f);
  }

  /** The reporting unit. */
  public Unit unit() {
    return unit;
  }

  /** The JPEG quality in (0, 1]. */
  public float quality() {
    return quality;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
    PixelRewards.check(images, conditions, name, 1);
    double[] s = new double[images.count()];
    double pixels = (double) images.height() * images.width();
    for (int i = 0; i < s.length; i++) {
      int bytes = jpegBytes(images.toBufferedImage(i), quality);
      double size = unit == Unit.KILOBYTES ? bytes / 1000.0 : 8.0 * bytes / pixels;
      s[i] = sign * size;
    }
    return RewardResult.named(name, s);
  }

  /** Size in bytes of {@code image} as a baseline JPEG at {@code quality}. */
  static int jpegBytes(BufferedImage image, float quality) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    checkState(writers.hasNext(), "this JRE has no javax.imageio JPEG writer");
    ImageWriter writer = writers.next();
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
      out.flush();
      return bytes.size();
    } catch (IOException e) {
      throw new UncheckedIOException("JPEG encoding failed: " + e.getMessage(), e);
    } finally {
      writer.dispose();
    }
  }
}
