package io.github.argrpo.eval.imagenet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Images read in batches, so a 50,000-image set never sits in memory: an {@code .npz} with a uint8
 * NHWC {@code arr_0} ({@link NpzImages}) or a folder of PNG files ({@link PngFolderImages}).
 * The caller closes it.
 */
public interface ImageSource extends AutoCloseable {

  /** The number of images. */
  int count();

  /** The next up to {@code max} images; empty at the end. */
  List<RgbImage> next(int max) throws IOException;

  @Override
  void close() throws IOException;

  /**
   * Opens {@code path}: a folder of {@code .png} files (sorted by name) or an {@code .npz} whose
   * {@code arr_0} is the images.
   *
   * @throws IOException if it is neither, or unreadable
   */
  static ImageSource open(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      return PngFolderImages.open(path);
    }
    if (!Files.isRegularFile(path)) {
      throw new IOException("no samples at " + path + ": give an .npz (arr_0, uint8 N x H x W x 3) or a folder of PNGs");
    }
    return NpzImages.open(path, "arr_0");
  }
}
