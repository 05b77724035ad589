package io.github.argrpo.core.image;

import static com.google.common.base.Preconditions.checkArgument;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import io.github.argrpo.core.io.TempSiblings;

/**
 * PNG files in and out of {@link ImageBatch}es, through {@code javax.imageio}: the one PNG writer of the
 * SDK (sample files and grids, the training curves, the exports).
 *
 * <pre>{@code
 * Png.save(images, 0, Path.of("sample.png"));            // one image
 * Png.saveGrid(images, Path.of("grid.png"), 4);           // like save_image(x, nrow=4): padding 2, black
 * try (ImageBatch back = Png.load(List.of(Path.of("sample.png")))) { ... }
 * }</pre>
 *
 * <p>Saving uses torchvision's {@code save_image} 8-bit conversion (round half up, see {@link ImageGrid});
 * loading maps byte {@code v} to {@code v / 255}, so an image of 8-bit values survives a round trip exactly.
 * Parent folders are created as needed.
 */
public final class Png {

  /** torchvision's default padding between grid cells. */
  public static final int DEFAULT_PADDING = 2;

  private Png() {}

  /** Writes image {@code index} of {@code images} to {@code path} as an RGB PNG. */
  public static void save(ImageBatch images, int index, Path path) throws IOException {
    if (index < 0 || index >= images.count()) {
      throw new IndexOutOfBoundsException("image " + index + " of a batch of " + images.count());
    }
    try (ImageBatch one = images.slice(index, index + 1)) {
      write(ImageGrid.toBufferedImage(one, 1, 0, 0f), path);
    }
  }

  /**
   * Writes all images as one grid: {@code nrow} per row, 2 pixels of black padding, exactly torchvision's
   * {@code save_image(x, path, nrow=nrow)} layout.
   */
  public static void saveGrid(ImageBatch images, Path path, int nrow) throws IOException {
    saveGrid(images, path, nrow, DEFAULT_PADDING, 0f);
  }

  /** Writes all images as one grid with the given padding and padding value in {@code [0, 1]}. */
  public static void saveGrid(ImageBatch images, Path path, int nrow, int padding, float padValue)
      throws IOException {
    write(ImageGrid.toBufferedImage(images, nrow, padding, padValue), path);
  }

  /**
   * Writes a Java image as PNG, through a temporary sibling renamed into place so that a reader (a
   * TensorBoard, an image viewer) never sees half a file.
   *
   * @throws IOException naming the file and why it could not be written
   */
  public static void write(BufferedImage image, Path path) throws IOException {
    try {
      Path parent = path.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = TempSiblings.file(parent, ".tmp-", ".png");
      try {
        if (!ImageIO.write(image, "png", tmp.toFile())) {
          throw new IOException("no PNG writer available");
        }
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      String why = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
          : e instanceof DirectoryNotEmptyException ? "a non-empty directory is in the way"
          : e.getMessage();
      throw new IOException("cannot write PNG " + path + ": " + why, e);
    }
  }

  /** {@link #write(BufferedImage, Path)} for callers that cannot throw checked exceptions. */
  public static void writeUnchecked(BufferedImage image, Path path) {
    try {
      write(image, path);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** Reads one image file (PNG, or any format javax.imageio reads). */
  public static BufferedImage read(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new IOException("image file not found: " + path);
    }
    BufferedImage im = ImageIO.read(path.toFile());
    if (im == null) {
      throw new IOException(path + " is not an image javax.imageio can read (expected a PNG)");
    }
    return im;
  }

  /**
   * Loads images of equal size into a new batch (RGB, alpha ignored, {@code v / 255}); the caller closes it.
   *
   * @throws IllegalArgumentException if the list is empty or the sizes differ
   */
  public static ImageBatch load(List<Path> paths) throws IOException {
    checkArgument(!paths.isEmpty(), "no image paths given");
    List<BufferedImage> images = new ArrayList<>();
    for (Path p : paths) {
      images.add(read(p));
    }
    try {
      return ImageBatch.fromBufferedImages(images);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("images of " + paths + " differ in size: " + e.getMessage(), e);
    }
  }

  /** Loads one image into a batch of one. */
  public static ImageBatch load(Path path) throws IOException {
    return load(List.of(path));
  }
}
