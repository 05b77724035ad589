package io.github.argrpo.rewards.pixel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.rewards.pixel.JpegCompressibilityReward.Unit;

class JpegCompressibilityRewardTest {

  @Test
  void noiseCompressesWorseThanAFlatImage() {
    try (ImageBatch noise = TestImages.noise(64, 64, 7); ImageBatch flat = TestImages.solid(64, 64, .3, .6, .2);
        ImageBatch both = TestImages.concat(noise, flat)) {
      double[] s = JpegCompressibilityReward.ddpo().score(both, TestImages.conditions(2)).scores();
      assertThat(s[0]).isLessThan(s[1]);
      assertThat(s[1]).isLessThan(0);
      // random RGB noise at quality 95 barely compresses: several bits per pixel
      double[] bpp = JpegCompressibilityReward.incompressibility(Unit.BITS_PER_PIXEL, 0.95f)
          .score(both, TestImages.conditions(2)).scores();
      assertThat(bpp[0]).isGreaterThan(4);
      // the flat file is mostly the ~600-byte JPEG header and tables
      assertThat(bpp[1]).isLessThan(bpp[0] / 4);
    }
  }

  @Test
  void unitsAgreeOnTheByteCount() {
    try (ImageBatch im = TestImages.noise(32, 48, 3)) {
      double kb = JpegCompressibilityReward.compressibility(Unit.KILOBYTES, 0.8f).score(im, TestImages.conditions(1)).score(0);
      double bpp = JpegCompressibilityReward.compressibility(Unit.BITS_PER_PIXEL, 0.8f).score(im, TestImages.conditions(1)).score(0);
      // both are -bytes in different units: kB * 1000 * 8 / pixels = bpp
      assertThat(kb * 1000 * 8 / (32 * 48)).isCloseTo(bpp, within(1e-9));
      assertThat(kb * 1000).isCloseTo(Math.rint(kb * 1000), within(1e-9));
    }
  }

  @Test
  void lowerQualityGivesSmallerFiles() {
    try (ImageBatch im = TestImages.noise(32, 32, 5)) {
      double q95 = JpegCompressibilityReward.incompressibility(Unit.KILOBYTES, 0.95f).score(im, TestImages.conditions(1)).score(0);
      double q30 = JpegCompressibilityReward.incompressibility(Unit.KILOBYTES, 0.30f).score(im, TestImages.conditions(1)).score(0);
      assertThat(q30).isLessThan(q95);
    }
  }

  @Test
  void isDeterministic() {
    try (ImageBatch im = TestImages.noise(24, 24, 9)) {
      JpegCompressibilityReward r = JpegCompressibilityReward.ddpo();
      assertThat(r.score(im, TestImages.conditions(1))).isEqualTo(r.score(im, TestImages.conditions(1)));
    }
  }

  @Test
  void rejectsBadQuality() {
    assertThatThrownBy(() -> JpegCompressibilityReward.compressibility(Unit.KILOBYTES, 0f)).hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> JpegCompressibilityReward.compressibility(Unit.KILOBYTES, 1.5f)).hasMessageContaining("got 1.5");
    assertThatThrownBy(() -> JpegCompressibilityReward.compressibility(null, .5f)).hasMessageContaining("unit");
  }
}
