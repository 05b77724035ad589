package io.github.argrpo.eval.imagenet;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

/** The {@code .png} files of a folder, in name order, decoded to 8-bit RGB (alpha dropped). */
public final class PngFolderImages implements ImageSource {

  private final List<Path> files;
  private int read;

  private PngFolderImages(List<Path> files) {
    this.files = files;
  }

  /**
   * Lists the PNGs of {@code folder}.
   *
   * @throws IOException if it holds none
   */
  public static PngFolderImages open(Path folder) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IOException("no .png files in " + folder);
    }
    return new PngFolderImages(files);
  }

  @Override
  public int count() {
    return files.size();
  }

  @Override
  public List<RgbImage> next(int max) throws IOException {
    List<RgbImage> out = new ArrayList<>();
    while (out.size() < max && read < files.size()) {
      Path p = files.get(read++);
      BufferedImage img = ImageIO.read(p.toFile());
      if (img == null) {
        throw new IOException("cannot decode " + p + " as an image");
      }
      out.add(rgb(img));
    }
    return out;
  }

  /** The 8-bit RGB pixels of {@code img}, HWC. */
  static RgbImage rgb(BufferedImage img) {
    int h = img.getHeight();
    int w = img.getWidth();
    byte[] b = new byte[h * w * 3];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      img.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int o = (y * w + x) * 3;
        b[o] = (byte) (row[x] >> 16);
        b[o + 1] = (byte) (row[x] >> 8);
        b[o + 2] = (byte) row[x];
      }
    }
    return new RgbImage(b, h, w);
  }

  @Override
  public void close() {}
}
