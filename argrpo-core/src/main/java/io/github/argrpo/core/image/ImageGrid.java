package io.github.argrpo.core.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import javax.imageio.ImageIO;

/**
 * Tiles a batch of images into one picture, like torchvision's {@code make_grid} (images in rows of
 * {@code nrow}, {@code padding} pixels of {@code pad} colour around each) and writes PNG files.
 */
public final class ImageGrid {

  private ImageGrid() {}

  /** The grid of all images of {@code batch}, {@code nrow} per row, 2 px black padding. */
  public static BufferedImage of(ImageBatch batch, int nrow) {
    return of(batch, nrow, 2, Color.BLACK);
  }

  /** The grid of all images of {@code batch}. */
  public static BufferedImage of(ImageBatch batch, int nrow, int padding, Color pad) {
    if (nrow < 1 || padding < 0) {
      throw new IllegalArgumentException("nrow must be >= 1 and padding >= 0, got " + nrow + ", " + padding);
    }
    int n = batch.count();
    int cols = Math.min(nrow, n);
    int rows = (n + nrow - 1) / nrow;
    int cw = batch.width() + padding;
    int ch = batch.height() + padding;
    BufferedImage out = new BufferedImage(cols * cw + padding, rows * ch + padding, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(pad);
      g.fillRect(0, 0, out.getWidth(), out.getHeight());
      for (int i = 0; i < n; i++) {
        g.drawImage(batch.toBufferedImage(i), padding + (i % nrow) * cw, padding + (i / nrow) * ch, null);
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Writes {@code image} as PNG, through a temporary file renamed into place. */
  public static void writePng(BufferedImage image, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, ".tmp-", ".png");
      try {
        if (!ImageIO.write(image, "png", tmp.toFile())) {
          throw new IOException("no PNG writer available");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write PNG " + file + ": " + e.getMessage(), e);
    }
  }
}
