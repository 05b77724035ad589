package io.github.argrpo.rewards.torchscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.runtime.DeviceSpec;

class ManiqaRewardTest {

  private static TorchScriptModel model;

  @BeforeAll
  static void load() {
    model = TorchScriptModel.load(TinyIqaFixture.model(), DeviceSpec.CPU);
  }

  @AfterAll
  static void free() {
    model.close();
  }

  private static List<Condition> conds(int n) {
    return Collections.nCopies(n, Condition.ofText("x"));
  }

  private static ImageBatch random(int n, int h, int w, long seed) {
    Random rnd = new Random(seed);
    float[] d = new float[n * 3 * h * w];
    for (int k = 0; k < d.length; k++) {
      d[k] = rnd.nextFloat();
    }
    return ImageBatch.fromArray(d, n, h, w);
  }

  @Test
  void on224ImagesEveryCropIsTheWholeImageAndMatchesPython() {
    double[] expected = TinyIqaFixture.scores();
    try (ImageBatch images = TinyIqaFixture.images()) {
      ManiqaReward r = new ManiqaReward(model, false, 20, 0L, 7, ImagePreprocessing.minusOneToOne(), "maniqa");
      assertThat(r.windows(224, 224)).containsOnly(new CropWindow(0, 0, 224));
      double[] got = r.score(images, conds(3)).scores();
      for (int i = 0; i < 3; i++) {
        assertThat(got[i]).isCloseTo(expected[i], within(TinyIqaFixture.ATOL));
      }
    }
  }

  @Test
  void averagesTheScoresOfTheSeededCrops() {
    int h = 240;
    int w = 232;
    try (ImageBatch images = random(2, h, w, 11)) {
      // 5 crops per image in chunks of 3: chunks straddle the two images
      ManiqaReward r = new ManiqaReward(model, false, 5, 42L, 3, ImagePreprocessing.minusOneToOne(), "maniqa");
      double[] got = r.score(images, conds(2)).scores();
      List<CropWindow> windows = CropWindow.sample(42L, h, w, 224, 5);
      assertThat(windows).doesNotHaveDuplicates();
      for (int i = 0; i < 2; i++) {
        double sum = 0;
        for (CropWindow cw : windows) {
          try (PointerScope s = new PointerScope()) {
            Tensor crop = images.tensor().narrow(0, i, 1).narrow(2, cw.top(), 224).narrow(3, cw.left(), 224);
            sum += model.forward(ImagePreprocessing.minusOneToOne().apply(crop))[0];
          }
        }
        assertThat(got[i]).as("image %s", i).isCloseTo(sum / 5, within(1e-5));
      }
    }
  }

  @Test
  void isReproducibleForASeedAndDependsOnIt() {
    try (ImageBatch images = random(1, 256, 256, 5)) {
      ManiqaReward a = new ManiqaReward(model, false, 4, 1L, 4, ImagePreprocessing.maniqa(), "maniqa");
      ManiqaReward b = new ManiqaReward(model, false, 4, 1L, 4, ImagePreprocessing.maniqa(), "maniqa");
      ManiqaReward c = new ManiqaReward(model, false, 4, 2L, 4, ImagePreprocessing.maniqa(), "maniqa");
      double sa = a.score(images, conds(1)).score(0);
      assertThat(a.score(images, conds(1)).score(0)).isEqualTo(sa);
      assertThat(b.score(images, conds(1)).score(0)).isEqualTo(sa);
      assertThat(c.windows(256, 256)).isNotEqualTo(a.windows(256, 256));
    }
  }

  @Test
  void cropOffsetsFollowNumpysExclusiveBound() {
    qt().withExamples(200).forAll(longs().all(), integers().between(224, 400), integers().between(224, 400))
        .checkAssert((seed, h, w) -> {
          for (CropWindow cw : CropWindow.sample(seed, h, w, 224, 20)) {
            assertThat(cw.top()).isBetween(0, Math.max(0, h - 224 - 1));
            assertThat(cw.left()).isBetween(0, Math.max(0, w - 224 - 1));
          }
          assertThat(CropWindow.sample(seed, h, w, 224, 20)).isEqualTo(CropWindow.sample(seed, h, w, 224, 20));
        });
  }

  @Test
  void cropOffsetsCoverTheWholeRange() {
    // 256-pixel images: offsets 0..31 as randint(0, 32)
    List<CropWindow> many = CropWindow.sample(9L, 256, 256, 224, 5000);
    assertThat(many.stream().mapToInt(CropWindow::top).min().getAsInt()).isZero();
    assertThat(many.stream().mapToInt(CropWindow::top).max().getAsInt()).isEqualTo(31);
  }

  @Test
  void smallImagesAndBadSettingsAreRejected() {
    try (ImageBatch small = random(1, 200, 256, 1)) {
      ManiqaReward r = new ManiqaReward(model, false, 20, 0L, 20, ImagePreprocessing.maniqa(), "maniqa");
      assertThatThrownBy(() -> r.score(small, conds(1))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at least 224x224").hasMessageContaining("256x200");
    }
    assertThatThrownBy(() -> new ManiqaReward(model, false, 0, 0L, 1, ImagePreprocessing.maniqa(), "m"))
        .hasMessageContaining("crops and batchSize must be >= 1");
    assertThatThrownBy(() -> new ManiqaReward(model, false, 20, 0L, 1,
        ImagePreprocessing.builder().resize(224, 224).build(), "m")).hasMessageContaining("resize");
  }
}
