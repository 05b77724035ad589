package io.github.argrpo.rewards.pixel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.junit.jupiter.api.Test;

import io.github.argrpo.core.image.ImageBatch;

class ColorfulnessRewardTest {

  @Test
  void solidColourIsWorkedByHand() {
    // (R, G, B) = (200, 100, 50): rg = 100, yb = (200 + 100) / 2 - 50 = 100, no spread,
    // so M = 0.3 * sqrt(100^2 + 100^2) = 42.426...
    try (ImageBatch im = TestImages.solid(4, 6, 200 / 255.0, 100 / 255.0, 50 / 255.0)) {
      assertThat(ColorfulnessReward.raw().score(im, TestImages.conditions(1)).score(0))
          .isCloseTo(0.3 * Math.sqrt(20000), within(1e-3));
      assertThat(ColorfulnessReward.normalized().score(im, TestImages.conditions(1)).score(0))
          .isCloseTo(0.3 * Math.sqrt(20000) / 100, within(1e-5));
    }
  }

  @Test
  void redBlueHalvesAreWorkedByHand() {
    // rg is 255 | 0: mean 127.5, sd 127.5; yb is 127.5 | -255: mean -63.75, sd 191.25
    double expected = Math.sqrt(127.5 * 127.5 + 191.25 * 191.25) + 0.3 * Math.sqrt(127.5 * 127.5 + 63.75 * 63.75);
    try (ImageBatch im = TestImages.halves(4, 8, new double[] {1, 0, 0}, new double[] {0, 0, 1})) {
      assertThat(ColorfulnessReward.raw().score(im, TestImages.conditions(1)).score(0)).isCloseTo(expected, within(1e-3));
    }
  }

  @Test
  void greyImagesOfAnyBrightnessScoreZero() {
    qt().withExamples(30).forAll(integers().between(0, 255), integers().between(0, 255)).checkAssert((a, b) -> {
      try (ImageBatch im = TestImages.halves(3, 4, new double[] {a / 255.0, a / 255.0, a / 255.0},
          new double[] {b / 255.0, b / 255.0, b / 255.0})) {
        assertThat(ColorfulnessReward.raw().score(im, TestImages.conditions(1)).score(0)).isCloseTo(0, within(1e-4));
      }
    });
  }

  @Test
  void solidColoursFollowTheMeanTerm() {
    qt().withExamples(30).forAll(integers().between(0, 255), integers().between(0, 255), integers().between(0, 255))
        .checkAssert((r, g, b) -> {
          double rg = r - g;
          double yb = (r + g) / 2.0 - b;
          try (ImageBatch im = TestImages.solid(2, 2, r / 255.0, g / 255.0, b / 255.0)) {
            assertThat(ColorfulnessReward.raw().score(im, TestImages.conditions(1)).score(0))
                .isCloseTo(0.3 * Math.hypot(rg, yb), within(1e-3));
          }
        });
  }

  @Test
  void noiseIsMoreColourfulThanGrey() {
    try (ImageBatch noise = TestImages.noise(8, 8, 1); ImageBatch grey = TestImages.solid(8, 8, .5, .5, .5);
        ImageBatch both = TestImages.concat(noise, grey)) {
      double[] s = ColorfulnessReward.raw().score(both, TestImages.conditions(2)).scores();
      assertThat(s[0]).isGreaterThan(30);
      assertThat(s[1]).isCloseTo(0, within(1e-4));
    }
  }
}
