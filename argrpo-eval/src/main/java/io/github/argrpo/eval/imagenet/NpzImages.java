package io.github.argrpo.eval.imagenet;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The uint8 {@code N x H x W x 3} array of an {@code .npz} (stored or deflated zip entry
 * {@code <name>.npy}), streamed image by image.
 */
public final class NpzImages implements ImageSource {

  private final ZipFile zip;
  private final InputStream in;
  private final int count;
  private final int height;
  private final int width;
  private int read;

  private NpzImages(ZipFile zip, InputStream in, int count, int height, int width) {
    this.zip = zip;
    this.in = in;
    this.count = count;
    this.height = height;
    this.width = width;
  }

  /**
   * Opens array {@code name} of {@code npz}.
   *
   * @throws IOException if the entry is missing or not uint8 N x H x W x 3 in C order
   */
  public static NpzImages open(Path npz, String name) throws IOException {
    ZipFile zip = new ZipFile(npz.toFile());
    try {
      ZipEntry e = zip.getEntry(name + ".npy");
      if (e == null) {
        throw new IOException(npz + " has no array '" + name + "' (an ADM sample or reference batch holds its "
            + "images as arr_0)");
      }
      InputStream in = new BufferedInputStream(zip.getInputStream(e), 1 << 20);
      NpyArray h = NpyArray.readHeader(in, npz + ":" + name);
      long[] s = h.shape();
      if (!"|u1".equals(h.descr()) || h.fortranOrder() || s.length != 4 || s[3] != 3) {
        throw new IOException(npz + ":" + name + " must be uint8 N x H x W x 3 in C order, got dtype "
            + h.descr() + " shape " + Arrays.toString(s));
      }
      return new NpzImages(zip, in, Math.toIntExact(s[0]), Math.toIntExact(s[1]), Math.toIntExact(s[2]));
    } catch (IOException | RuntimeException ex) {
      zip.close();
      throw ex;
    }
  }

  @Override
  public int count() {
    return count;
  }

  @Override
  public List<RgbImage> next(int max) throws IOException {
    int n = Math.min(max, count - read);
    List<RgbImage> out = new ArrayList<>(Math.max(n, 0));
    int bytes = height * width * 3;
    for (int i = 0; i < n; i++) {
      byte[] b = in.readNBytes(bytes);
      if (b.length != bytes) {
        throw new EOFException("the image array ends after " + (read + i) + " of " + count + " images");
      }
      out.add(new RgbImage(b, height, width));
    }
    read += Math.max(n, 0);
    return out;
  }

  @Override
  public void close() throws IOException {
    in.close();
    zip.close();
  }
}
