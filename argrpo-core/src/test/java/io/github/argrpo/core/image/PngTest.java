package io.github.argrpo.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PNG round trips and torchvision's make_grid/save_image layout and rounding. */
class PngTest {

  /** A batch of {@code n} images whose values are all multiples of 1/255. */
  private static ImageBatch eightBit(int n, int h, int w, long seed) {
    Random r = new Random(seed);
    float[] v = new float[n * 3 * h * w];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextInt(256) / 255f;
    }
    return ImageBatch.fromArray(v, n, h, w);
  }

  @Test
  void eightBitImagesSurviveARoundTripExactly(@TempDir Path dir) throws IOException {
    try (ImageBatch images = eightBit(2, 5, 7, 1)) {
      Png.save(images, 0, dir.resolve("a.png"));
      Png.save(images, 1, dir.resolve("sub/b.png"));
      try (ImageBatch back = Png.load(List.of(dir.resolve("a.png"), dir.resolve("sub/b.png")))) {
        assertThat(back.count()).isEqualTo(2);
        assertThat(back.height()).isEqualTo(5);
        assertThat(back.width()).isEqualTo(7);
        for (int i = 0; i < 2; i++) {
          assertThat(back.pixels(i)).containsExactly(images.pixels(i));
        }
      }
    }
  }

  @Test
  void gridHasTorchvisionGeometryAndBlackPadding() {
    try (ImageBatch images = eightBit(3, 4, 5, 2)) {
      BufferedImage g = ImageGrid.toBufferedImage(images, 2, 2, 0f);
      // 2 columns, 2 rows of (4+2)x(5+2) cells plus one trailing padding
      assertThat(g.getWidth()).isEqualTo(2 * (5 + 2) + 2);
      assertThat(g.getHeight()).isEqualTo(2 * (4 + 2) + 2);
      float[] third = images.pixels(2);
      // image 2 sits in row 1, column 0: top-left at (x=2, y=6+2)
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 5; x++) {
          int rgb = g.getRGB(2 + x, 8 + y) & 0xffffff;
          int r = Math.round(third[y * 5 + x] * 255);
          int gr = Math.round(third[20 + y * 5 + x] * 255);
          int b = Math.round(third[40 + y * 5 + x] * 255);
          assertThat(rgb).isEqualTo((r << 16) | (gr << 8) | b);
        }
      }
      // padding: the frame, the gap between cells and the empty 4th cell are black
      assertThat(g.getRGB(0, 0) & 0xffffff).isZero();
      assertThat(g.getRGB(7, 3) & 0xffffff).isZero();
      assertThat(g.getRGB(10, 9) & 0xffffff).isZero();
      assertThat(g.getRGB(15, 13) & 0xffffff).isZero();
    }
  }

  @Test
  void aSingleImageGridIsTheImageWithoutPadding(@TempDir Path dir) throws IOException {
    try (ImageBatch one = eightBit(1, 6, 3, 3)) {
      Png.saveGrid(one, dir.resolve("g.png"), 8);
      BufferedImage g = Png.read(dir.resolve("g.png"));
      assertThat(g.getWidth()).isEqualTo(3);
      assertThat(g.getHeight()).isEqualTo(6);
    }
  }

  @Test
  void saveImageRoundsHalfUpUnlikeTheRewardPath() {
    assertThat(ImageGrid.toByte(0f)).isZero();
    assertThat(ImageGrid.toByte(1f)).isEqualTo(255);
    assertThat(ImageGrid.toByte(0.5f)).isEqualTo(128); // 127.5 + 0.5
    assertThat(ImageGrid.toByte(0.499f)).isEqualTo(127); // 127.245 + 0.5
    assertThat(ImageGrid.toByte(-0.2f)).isZero();
    assertThat(ImageGrid.toByte(1.7f)).isEqualTo(255);
    assertThat(ImageGrid.toByte(Float.NaN)).isZero();
    try (ImageBatch half = ImageBatch.fromArray(new float[] {0.5f, 0.5f, 0.5f}, 1, 1, 1)) {
      assertThat(half.toUint8Hwc(0)[0] & 0xff).isEqualTo(127); // ImageBatch truncates
    }
  }

  @Test
  void badFilesAndMismatchedSizesGiveClearErrors(@TempDir Path dir) throws IOException {
    Path junk = dir.resolve("junk.png");
    Files.write(junk, new byte[] {1, 2, 3, 4});
    assertThatThrownBy(() -> Png.load(junk)).isInstanceOf(IOException.class).hasMessageContaining("junk.png")
        .hasMessageContaining("not an image");
    assertThatThrownBy(() -> Png.load(dir.resolve("missing.png"))).isInstanceOf(IOException.class)
        .hasMessageContaining("not found");
    try (ImageBatch a = eightBit(1, 4, 4, 4); ImageBatch b = eightBit(1, 4, 5, 5)) {
      Png.save(a, 0, dir.resolve("a.png"));
      Png.save(b, 0, dir.resolve("b.png"));
    }
    assertThatThrownBy(() -> Png.load(List.of(dir.resolve("a.png"), dir.resolve("b.png"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("differ in size");
    assertThatThrownBy(() -> Png.load(List.of())).hasMessageContaining("no image paths");
  }
}
