package io.github.argrpo.examples.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.train.StepRecord;

/** The curve pictures: round ticks (hand-worked) and one panel per reward component. */
class CurvePlotTest {

  @TempDir
  Path dir;

  @Test
  void ticksAreRoundNumbersCoveringTheRange() {
    // range 0.54 over 4 intervals = 0.135 -> step 0.2; floor(0.93 / 0.2) = 4, ceil(1.47 / 0.2) = 8
    assertThat(CurvePlot.ticks(0.93, 1.47)).containsExactly(new double[] {0.8, 1.0, 1.2, 1.4, 1.6}, within(1e-12));
    // 100 steps over 4 intervals = 25 -> step 50
    assertThat(CurvePlot.ticks(1, 100)).containsExactly(new double[] {0, 50, 100}, within(1e-12));
    // 0.003 over 4 = 0.00075 -> step 0.001
    assertThat(CurvePlot.ticks(0.001, 0.004)).containsExactly(new double[] {0.001, 0.002, 0.003, 0.004}, within(1e-12));
  }

  private static List<StepRecord> run(String... components) {
    List<StepRecord> out = new ArrayList<>();
    for (int s = 1; s <= 10; s++) {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("reward_mean", 1.0 + 0.05 * s);
      m.put("kl", 0.001 * s);
      m.put("entropy", 5.0 - 0.1 * s);
      for (int c = 0; c < components.length; c++) {
        m.put("reward/" + components[c], c + 0.1 * s);
      }
      out.add(new StepRecord(s, m));
    }
    return out;
  }

  /** Panels (of the 420 x 280 layout) holding curve-blue pixels. */
  private static int panelsWithACurve(BufferedImage im) {
    int n = 0;
    for (int py = 0; py < im.getHeight() / 280; py++) {
      for (int px = 0; px < im.getWidth() / 420; px++) {
        boolean found = false;
        for (int y = py * 280; y < (py + 1) * 280 && !found; y++) {
          for (int x = px * 420; x < (px + 1) * 420 && !found; x++) {
            found = (im.getRGB(x, y) & 0xffffff) == 0x1f77b4;
          }
        }
        n += found ? 1 : 0;
      }
    }
    return n;
  }

  @Test
  void componentsGetOnePanelEachThreeToARow() throws IOException {
    Path file = dir.resolve(CurvePlot.COMPONENTS_FILE);
    CurvePlot.writeComponents(run("clip", "hps", "maniqa", "vlm_judge_weird"), file);
    BufferedImage im = ImageIO.read(file.toFile());
    assertThat(im.getWidth()).isEqualTo(3 * 420);
    assertThat(im.getHeight()).isEqualTo(2 * 280);
    assertThat(panelsWithACurve(im)).isEqualTo(4);
  }

  @Test
  void rewardCurveKeepsItsPanelsSideBySide() throws IOException {
    Path file = dir.resolve("reward_curve.png");
    CurvePlot.write(run(), List.of("reward_mean", "kl", "entropy"), file);
    BufferedImage im = ImageIO.read(file.toFile());
    assertThat(im.getWidth()).isEqualTo(3 * 420);
    assertThat(panelsWithACurve(im)).isEqualTo(3);
  }

  @Test
  void aRunWithoutComponentsGetsAnEmptyPanel() throws IOException {
    Path file = dir.resolve(CurvePlot.COMPONENTS_FILE);
    CurvePlot.writeComponents(run(), file);
    assertThat(panelsWithACurve(ImageIO.read(file.toFile()))).isZero();
    assertThat(CurvePlot.componentKeys(run("a", "b"))).containsExactly("reward/a", "reward/b");
  }
}
