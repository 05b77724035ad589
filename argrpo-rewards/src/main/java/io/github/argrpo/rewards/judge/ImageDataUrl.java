package io.github.argrpo.rewards.judge;

import static com.google.common.base.Preconditions.checkState;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Iterator;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes an image as a {@code data:<mime>;base64,...} URL, the way OpenAI-compatible servers accept
 * inline images.
 *
 * <pre>{@code
 * String url = ImageDataUrl.encode(image, ImageFormat.JPEG, 0.75f);   // "data:image/jpeg;base64,/9j/..."
 * }</pre>
 */
public final class ImageDataUrl {

  private ImageDataUrl() {}

  /**
   * @param image an RGB image
   * @param format JPEG or PNG
   * @param jpegQuality in (0, 1]; ignored for PNG
   */
  public static String encode(BufferedImage image, ImageFormat format, float jpegQuality) {
    return "data:" + format.mimeType() + ";base64," + Base64.getEncoder().encodeToString(bytes(image, format, jpegQuality));
  }

  /** The encoded file bytes. */
  static byte[] bytes(BufferedImage image, ImageFormat format, float jpegQuality) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format.imageIoName());
    checkState(writers.hasNext(), "this JRE has no javax.imageio writer for %s", format);
    ImageWriter writer = writers.next();
    try (ByteArrayOutputStream out = new ByteArrayOutputStream();
        MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (format == ImageFormat.JPEG) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(jpegQuality);
      }
      writer.setOutput(stream);
      writer.write(null, new IIOImage(image, null, null), param);
      stream.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding the judge image as " + format + " failed: " + e.getMessage(), e);
    } finally {
      writer.dispose();
    }
  }
}
