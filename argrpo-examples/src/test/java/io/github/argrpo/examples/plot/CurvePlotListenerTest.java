package io.github.argrpo.examples.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.train.RunFolder;
import io.github.argrpo.core.train.StepRecord;

/** The listener the programs register: both pictures, under their run-folder names, from the history it is given. */
class CurvePlotListenerTest {

  @Test
  void aSamplingStepRedrawsBothPictures(@TempDir Path dir) throws IOException {
    RunFolder folder = RunFolder.create(dir);
    List<StepRecord> history = List.of(
        new StepRecord(1, Map.of("reward_mean", 0.2, "kl", 0.0, "entropy", 4.0, "reward/clip", 0.2, "reward/hps", 0.1)),
        new StepRecord(2, Map.of("reward_mean", 0.4, "kl", 0.01, "entropy", 3.9, "reward/clip", 0.3, "reward/hps", 0.2)));
    new CurvePlotListener(folder).onSamplingStep(2, history);
    BufferedImage curve = ImageIO.read(dir.resolve("reward_curve.png").toFile());
    BufferedImage components = ImageIO.read(dir.resolve("reward_components.png").toFile());
    // 420 x 280 panels: three metrics side by side; two components in one row
    assertThat(curve.getWidth()).isEqualTo(3 * 420);
    assertThat(components.getWidth()).isEqualTo(2 * 420);
    assertThat(components.getHeight()).isEqualTo(280);
  }
}
