package io.github.argrpo.rewards.torchscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.runtime.DeviceSpec;

class TorchScriptRewardTest {

  private static List<Condition> conds(int n) {
    return Collections.nCopies(n, Condition.ofText("x"));
  }

  @Test
  void matchesThePythonScoresEndToEnd() {
    double[] expected = TinyIqaFixture.scores();
    try (ImageBatch images = TinyIqaFixture.images();
        TorchScriptReward r = TorchScriptReward.load(TinyIqaFixture.model(), ImagePreprocessing.minusOneToOne(), 2,
            "tiny_iqa", DeviceSpec.CPU)) {
      double[] got = r.score(images, conds(3)).scores();
      assertThat(got).hasSize(3);
      for (int i = 0; i < 3; i++) {
        assertThat(got[i]).as("image %s", i).isCloseTo(expected[i], within(TinyIqaFixture.ATOL));
      }
      // the three fixture images (noise, ramp, checkerboard) score differently: the test would see a mix-up
      assertThat(got[0]).isNotCloseTo(got[1], within(1e-4));
    }
  }

  @Test
  void batchSizeDoesNotChangeScores() {
    try (ImageBatch images = TinyIqaFixture.images();
        TorchScriptModel m = TorchScriptModel.load(TinyIqaFixture.model(), DeviceSpec.CPU);
        TorchScriptReward one = new TorchScriptReward(m, false, ImagePreprocessing.minusOneToOne(), 1, "a");
        TorchScriptReward all = new TorchScriptReward(m, false, ImagePreprocessing.minusOneToOne(), 3, "b")) {
      double[] a = one.score(images, conds(3)).scores();
      double[] b = all.score(images, conds(3)).scores();
      for (int i = 0; i < 3; i++) {
        assertThat(a[i]).isCloseTo(b[i], within(1e-5));
      }
    }
  }

  @Test
  void resizesLargerImagesToTheModelSize() {
    float[] d = new float[2 * 3 * 256 * 256];
    Random rnd = new Random(3);
    for (int k = 0; k < d.length; k++) {
      d[k] = rnd.nextFloat();
    }
    ImagePreprocessing pre = ImagePreprocessing.builder().resize(224, 224).meanStd(0.5f, 0.5f).build();
    try (ImageBatch images = ImageBatch.fromArray(d, 2, 256, 256);
        TorchScriptReward r = TorchScriptReward.load(TinyIqaFixture.model(), pre, 4, "tiny_iqa", DeviceSpec.CPU)) {
      double[] s = r.score(images, conds(2)).scores();
      for (double v : s) {
        assertThat(v).isBetween(0.0, 1.0);
      }
    }
  }

  @Test
  void imagesTooSmallForTheModelGiveAClearError() {
    try (ImageBatch tiny = ImageBatch.fromArray(new float[3], 1, 1, 1);
        TorchScriptReward r = TorchScriptReward.load(TinyIqaFixture.model(), ImagePreprocessing.minusOneToOne(), 2,
            "tiny_iqa", DeviceSpec.CPU)) {
      assertThatThrownBy(() -> r.score(tiny, conds(1))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("tiny_iqa: TorchScript model tiny_iqa.pt failed on input [1, 3, 1, 1]")
          .hasMessageContaining("images are 1x1");
    }
  }

  @Test
  void nativeMemoryStaysFlatOverManyCalls() {
    try (ImageBatch images = TinyIqaFixture.images();
        TorchScriptReward r = TorchScriptReward.load(TinyIqaFixture.model(), ImagePreprocessing.maniqa(), 3,
            "tiny_iqa", DeviceSpec.CPU)) {
      for (int i = 0; i < 5; i++) {
        r.score(images, conds(3));
      }
      long before = Pointer.physicalBytes();
      // each call allocates ~9 MB of tensors (five 3x3x224x224 float intermediates): 20 unscoped calls would leak ~180 MB
      for (int i = 0; i < 20; i++) {
        r.score(images, conds(3));
      }
      long grown = Pointer.physicalBytes() - before;
      assertThat(grown).isLessThan(60L * 1024 * 1024);
    }
  }

  @Test
  void missingAndCorruptFilesGiveClearErrors(@TempDir Path tmp) throws IOException {
    assertThatThrownBy(() -> TorchScriptModel.load(tmp.resolve("nope.pt"), DeviceSpec.CPU))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not found").hasMessageContaining("nope.pt");
    Path empty = Files.createFile(tmp.resolve("empty.pt"));
    assertThatThrownBy(() -> TorchScriptModel.load(empty, DeviceSpec.CPU)).hasMessageContaining("an empty file");
    Path text = Files.writeString(tmp.resolve("text.pt"), "not a model at all");
    assertThatThrownBy(() -> TorchScriptModel.load(text, DeviceSpec.CPU)).hasMessageContaining("not a TorchScript archive");
    Path zip = tmp.resolve("other.pt");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
      z.putNextEntry(new ZipEntry("archive/data.pkl"));
      z.write(new byte[] {1, 2, 3});
      z.closeEntry();
    }
    assertThatThrownBy(() -> TorchScriptModel.load(zip, DeviceSpec.CPU)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("libtorch could not load").hasMessageContaining("other.pt");
    // a truncated copy of the real model
    byte[] real = Files.readAllBytes(TinyIqaFixture.model());
    Path cut = Files.write(tmp.resolve("cut.pt"), Arrays.copyOf(real, real.length / 2));
    assertThatThrownBy(() -> TorchScriptModel.load(cut, DeviceSpec.CPU)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cut.pt");
  }

  @Test
  void wrongCountsAndBadSettingsAreRejected() {
    try (ImageBatch images = TinyIqaFixture.images();
        TorchScriptReward r = TorchScriptReward.load(TinyIqaFixture.model(), ImagePreprocessing.minusOneToOne(), 2,
            "tiny_iqa", DeviceSpec.CPU)) {
      assertThatThrownBy(() -> r.score(images, conds(2))).hasMessageContaining("3 images but 2 conditions");
    }
    assertThatThrownBy(() -> ImagePreprocessing.builder().resize(224, 0).build()).hasMessageContaining("both height and width");
    assertThatThrownBy(() -> ImagePreprocessing.builder().meanStd(0f, 0f).build()).hasMessageContaining("std positive");
  }
}
