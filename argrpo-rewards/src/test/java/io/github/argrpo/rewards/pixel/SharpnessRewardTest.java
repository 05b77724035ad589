package io.github.argrpo.rewards.pixel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.argrpo.core.image.ImageBatch;

class SharpnessRewardTest {

  @Test
  void flatImagesHaveZeroSharpness() {
    qt().withExamples(20).forAll(doubles().between(0, 1), doubles().between(0, 1), integers().between(3, 12))
        .checkAssert((v, g, side) -> {
          try (ImageBatch im = TestImages.solid(side, side + 1, v, g, 1 - v)) {
            assertThat(SharpnessReward.raw().score(im, TestImages.conditions(1)).score(0)).isCloseTo(0, within(1e-6));
          }
        });
  }

  @Test
  void checkerboardVarianceIsWorkedByHand() {
    // every interior pixel has four neighbours of the other colour: Laplacian = +-4*255 = +-1020,
    // half of each on an even interior (8x8 here), so mean 0 and variance 1020^2
    try (ImageBatch im = TestImages.checkerboard(10, 10)) {
      assertThat(SharpnessReward.raw().score(im, TestImages.conditions(1)).score(0)).isCloseTo(1020.0 * 1020.0, within(1e-3));
    }
  }

  @Test
  void checkerboardIsSharperThanRampAndRampIsNearlyFlat() {
    try (ImageBatch board = TestImages.checkerboard(16, 16);
        ImageBatch ramp = TestImages.ramp(16, 16);
        ImageBatch both = TestImages.concat(board, ramp)) {
      double[] s = SharpnessReward.raw().score(both, TestImages.conditions(2)).scores();
      assertThat(s[0]).isGreaterThan(s[1]);
      // a linear ramp has zero second derivative; only float rounding of x/15 remains
      assertThat(s[1]).isLessThan(1e-6);
    }
  }

  @Test
  void tanhMapsIntoUnitInterval() {
    try (ImageBatch board = TestImages.checkerboard(10, 10)) {
      double v = SharpnessReward.tanh(1e6).score(board, TestImages.conditions(1)).score(0);
      assertThat(v).isCloseTo(Math.tanh(1.0404), within(1e-6));
    }
  }

  @Test
  void componentIsNamedAfterTheReward() {
    try (ImageBatch board = TestImages.checkerboard(4, 4)) {
      assertThat(SharpnessReward.raw().score(board, TestImages.conditions(1)).components()).containsOnlyKeys("sharpness");
    }
  }

  @Test
  void badInputIsRejectedWithAClearMessage() {
    assertThatThrownBy(() -> SharpnessReward.tanh(0)).hasMessageContaining("tau must be positive");
    try (ImageBatch tiny = TestImages.solid(2, 5, 0, 0, 0); ImageBatch ok = TestImages.solid(4, 4, 0, 0, 0)) {
      assertThatThrownBy(() -> SharpnessReward.raw().score(tiny, TestImages.conditions(1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 3x3").hasMessageContaining("5x2");
      assertThatThrownBy(() -> SharpnessReward.raw().score(ok, List.of()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 images but 0 conditions");
    }
  }
}
