package io.github.argrpo.rewards.torchscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
      assertThat(r.windows(0, 0, 224, 224)).containsOnly(new CropWindow(0, 0, 224));
      double[] got = r.score(images, conds(3)).scores();
      for (int i = 0; i < 3; i++) {
        assertThat(got[i]).isCloseTo(expected[i], within(TinyIqaFixture.ATOL));
      }
    }
  }

  /** The image make_reward_goldens.py builds: pixel ((x*x*7 + y*13 + x*y*3 + c*71 + n*101) % 256) / 255. */
  private static ImageBatch goldenImages(int n, int h, int w) {
    float[] d = new float[n * 3 * h * w];
    for (int b = 0; b < n; b++) {
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            d[((b * 3 + c) * h + y) * w + x] = ((x * x * 7 + y * 13 + x * y * 3 + c * 71 + b * 101) % 256) / 255f;
          }
        }
      }
    }
    return ImageBatch.fromArray(d, n, h, w);
  }

  /**
   * The reference protocol (to_pil_image truncation, / 255, (x - 0.5) / 0.5, 224 crops, mean), against the
   * tiny scorer run in Python at every crop offset (goldens/maniqa_crops.json): whatever windows a draw
   * picks, the score is the mean of the Python crop scores at those windows.
   */
  @Test
  void matchesTheReferenceProtocolAtTheDrawnWindows() throws IOException {
    JsonNode golden;
    try (InputStream in = ManiqaRewardTest.class.getResourceAsStream("/goldens/maniqa_crops.json")) {
      golden = new ObjectMapper().readTree(in);
    }
    int h = golden.get("height").asInt();
    int w = golden.get("width").asInt();
    try (ImageBatch images = goldenImages(2, h, w)) {
      for (CropDraw draw : CropDraw.values()) {
        // 5 crops per image in chunks of 3: chunks straddle the two images
        ManiqaReward r = new ManiqaReward(model, false, 5, 42L, 3, ImagePreprocessing.maniqa(), "maniqa", draw);
        for (long call = 0; call < 3; call++) {
          double[] got = r.score(images, conds(2)).scores();
          for (int i = 0; i < 2; i++) {
            double sum = 0;
            for (CropWindow cw : r.windows(call, i, h, w)) {
              sum += golden.at("/scores/" + i + "/" + cw.top() + "/" + cw.left()).asDouble();
            }
            assertThat(got[i]).as("%s, call %s, image %s", draw, call, i).isCloseTo(sum / 5, within(1e-5));
          }
        }
        assertThat(r.calls()).isEqualTo(3);
      }
    }
  }

  @Test
  void theDefaultDrawsNewWindowsOnEveryCallSharedByTheImagesOfTheCall() {
    try (ImageBatch one = random(1, 256, 256, 5); PointerScope s = new PointerScope();
        ImageBatch twins = ImageBatch.wrap(torch.cat(new TensorVector(one.tensor(), one.tensor()), 0))) {
      ManiqaReward perCall = new ManiqaReward(model, false, 4, 1L, 4, ImagePreprocessing.maniqa(), "maniqa");
      assertThat(perCall.draw()).isEqualTo(CropDraw.PER_CALL);
      double[] first = perCall.score(twins, conds(2)).scores();
      double[] second = perCall.score(twins, conds(2)).scores();
      assertThat(first[1]).isEqualTo(first[0]);       // a group is judged on the same regions
      assertThat(second[0]).isNotEqualTo(first[0]);   // the next step on other regions
      ManiqaReward perImage = new ManiqaReward(model, false, 4, 1L, 4, ImagePreprocessing.maniqa(), "maniqa",
          CropDraw.PER_IMAGE);
      double[] p = perImage.score(twins, conds(2)).scores();
      assertThat(p[1]).isNotEqualTo(p[0]);
      ManiqaReward fixed = new ManiqaReward(model, false, 4, 1L, 4, ImagePreprocessing.maniqa(), "maniqa", CropDraw.FIXED);
      assertThat(fixed.score(one, conds(1)).score(0)).isEqualTo(fixed.score(one, conds(1)).score(0));
    }
  }

  @Test
  void isReproducibleForASeedAndDependsOnIt() {
    try (ImageBatch images = random(1, 256, 256, 5)) {
      ManiqaReward a = new ManiqaReward(model, false, 4, 1L, 4, ImagePreprocessing.maniqa(), "maniqa");
      ManiqaReward b = new ManiqaReward(model, false, 4, 1L, 4, ImagePreprocessing.maniqa(), "maniqa");
      ManiqaReward c = new ManiqaReward(model, false, 4, 2L, 4, ImagePreprocessing.maniqa(), "maniqa");
      for (int call = 0; call < 3; call++) {
        assertThat(b.score(images, conds(1)).score(0)).isEqualTo(a.score(images, conds(1)).score(0));
      }
      assertThat(c.windows(0, 0, 256, 256)).isNotEqualTo(a.windows(0, 0, 256, 256));
    }
  }

  /**
   * Hand-worked: a 384-pixel side has offsets 0..159 (randint(0, 160)), so a window reaches at most row
   * 159 + 223 = 382; row and column 383 are never scored (as in the reference). Pixel (y, x) is in a window
   * when its top is in [y - 223, y] and its left in [x - 223, x]; a corner needs offset (0, 0) exactly
   * (probability 1 / 160^2 per window), so it takes many draws: 10000 calls of 20 windows. Twenty fixed
   * windows leave 5-23% of the image unscored for a whole run (13% on average over seeds).
   */
  @Test
  void windowsDrawnPerCallCoverAllButTheLastRowAndColumn() {
    int side = 384;
    ManiqaReward perCall = new ManiqaReward(model, false, 20, 3L, 20, ImagePreprocessing.maniqa(), "maniqa");
    ManiqaReward fixed = new ManiqaReward(model, false, 20, 3L, 20, ImagePreprocessing.maniqa(), "maniqa", CropDraw.FIXED);
    boolean[][] drawn = new boolean[side - 224][side - 224];
    boolean[][] drawnFixed = new boolean[side - 224][side - 224];
    for (long call = 0; call < 10_000; call++) {
      perCall.windows(call, 0, side, side).forEach(cw -> drawn[cw.top()][cw.left()] = true);
      fixed.windows(call, 0, side, side).forEach(cw -> drawnFixed[cw.top()][cw.left()] = true);
    }
    int[][] perCallTable = prefix(drawn);
    int[][] fixedTable = prefix(drawnFixed);
    long unscoredFixed = 0;
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        assertThat(covered(perCallTable, y, x)).as("pixel (%s, %s)", y, x).isEqualTo(y < side - 1 && x < side - 1);
        unscoredFixed += covered(fixedTable, y, x) ? 0 : 1;
      }
    }
    assertThat(unscoredFixed / (double) (side * side)).isGreaterThan(0.05);
  }

  /** Whether a drawn offset (top, left) has a window containing pixel (y, x): a rectangle sum of a prefix table. */
  private static boolean covered(int[][] p, int y, int x) {
    int n = p.length - 1;
    int t0 = Math.max(0, y - 223);
    int t1 = Math.min(y, n - 1);
    int l0 = Math.max(0, x - 223);
    int l1 = Math.min(x, n - 1);
    return t0 <= t1 && l0 <= l1 && p[t1 + 1][l1 + 1] - p[t0][l1 + 1] - p[t1 + 1][l0] + p[t0][l0] > 0;
  }

  /** {@code p[i][j]}: how many drawn offsets have top < i and left < j. */
  private static int[][] prefix(boolean[][] drawn) {
    int n = drawn.length;
    int[][] p = new int[n + 1][n + 1];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        p[i + 1][j + 1] = p[i][j + 1] + p[i + 1][j] - p[i][j] + (drawn[i][j] ? 1 : 0);
      }
    }
    return p;
  }

  /**
   * The per-call offsets follow numpy's randint(0, H - 224): uniform on 0..31 for 256 pixels (each of the 32
   * values expected 10000 / 32 = 312.5 times, sd sqrt(312.5 * 31 / 32) = 17.4) and on 0..159 for 384 pixels
   * (mean 79.5, sd of the mean of 10000 draws sqrt((160^2 - 1) / 12) / 100 = 0.46).
   */
  @Test
  void perCallOffsetsFollowTheReferenceDistribution() {
    ManiqaReward r = new ManiqaReward(model, false, 20, 11L, 20, ImagePreprocessing.maniqa(), "maniqa");
    int[] tops = new int[32];
    int[] lefts = new int[32];
    double sum384 = 0;
    int min384 = Integer.MAX_VALUE;
    int max384 = Integer.MIN_VALUE;
    for (long call = 0; call < 500; call++) {
      for (CropWindow cw : r.windows(call, 0, 256, 256)) {
        tops[cw.top()]++;
        lefts[cw.left()]++;
      }
      for (CropWindow cw : r.windows(call, 0, 384, 384)) {
        sum384 += cw.top();
        min384 = Math.min(min384, cw.top());
        max384 = Math.max(max384, cw.top());
      }
    }
    for (int v = 0; v < 32; v++) {
      assertThat(tops[v]).as("top %s", v).isBetween(312 - 87, 313 + 87);
      assertThat(lefts[v]).as("left %s", v).isBetween(312 - 87, 313 + 87);
    }
    assertThat(min384).isZero();
    assertThat(max384).isEqualTo(159);
    assertThat(sum384 / 10000).isCloseTo(79.5, within(2.3));
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
