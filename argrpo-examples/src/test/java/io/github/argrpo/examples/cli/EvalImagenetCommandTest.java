package io.github.argrpo.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.testing.Fixtures;
import io.github.argrpo.examples.export.NpzWriter;

/**
 * {@code argrpo eval imagenet} end to end on the random-weight InceptionV3 of the eval fixtures, with a
 * sample folder of PNGs holding the same pixels as the reference {@code .npz}: the expected values
 * are properties of identical sets (FID = sFID = 0 up to rounding, precision = recall = 1, and
 * 1 <= IS <= N), not numbers the code printed.
 */
class EvalImagenetCommandTest {

  private static final int N = 6;
  private static final int H = 24;
  private static final int W = 32;

  @TempDir
  Path dir;

  @Test
  void identicalSampleAndReferenceSetsGiveZeroDistanceAndFullCoverage() throws Exception {
    Path weights = Fixtures.sharedDir().resolve("fixtures/eval/inception-fid/weights.safetensors");
    Assumptions.assumeTrue(Files.isRegularFile(weights), "no fixture network at " + weights);
    Path ref = dir.resolve("ref.npz");
    Path samples = Files.createDirectories(dir.resolve("samples"));
    Random rnd = new Random(7);
    try (NpzWriter w = NpzWriter.create(ref, "arr_0", N, H, W, 3)) {
      for (int i = 0; i < N; i++) {
        byte[] hwc = new byte[H * W * 3];
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < H; y++) {
          for (int x = 0; x < W; x++) {
            // smooth per-image gradients plus noise, so the images differ in more than noise
            int r = Math.min(255, x * 8 * (i + 1) % 256 / 2 + rnd.nextInt(64));
            int g = Math.min(255, y * 10 + rnd.nextInt(32));
            int b = rnd.nextInt(256);
            int o = (y * W + x) * 3;
            hwc[o] = (byte) r;
            hwc[o + 1] = (byte) g;
            hwc[o + 2] = (byte) b;
            img.setRGB(x, y, (r << 16) | (g << 8) | b);
          }
        }
        w.write(hwc);
        ImageIO.write(img, "png", samples.resolve(String.format("%03d.png", i)).toFile());
      }
    }
    Path out = dir.resolve("out/metrics.json");

    Cli.Result r = Cli.run("eval", "imagenet", "--samples", samples.toString(), "--ref", ref.toString(),
        "--inception", weights.toString(), "--batch", "4", "--out", out.toString(), "--no-progress");

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("FID").contains("sFID").contains("precision").contains("recall");
    JsonNode j = new ObjectMapper().readTree(out.toFile());
    JsonNode m = j.path("metrics");
    assertThat(m.path("fid").asDouble(Double.NaN)).isCloseTo(0.0, within(1e-3));
    assertThat(m.path("sfid").asDouble(Double.NaN)).isCloseTo(0.0, within(1e-3));
    assertThat(m.path("precision").asDouble()).isEqualTo(1.0);
    assertThat(m.path("recall").asDouble()).isEqualTo(1.0);
    assertThat(m.path("inception_score").asDouble()).isBetween(1.0, (double) N);
    JsonNode d = j.path("details");
    assertThat(d.path("samples").asInt()).isEqualTo(N);
    assertThat(d.path("referenceImages").asInt()).isEqualTo(N);
    assertThat(d.path("networkPrecision").asText()).isEqualTo("fp32");
    assertThat(d.path("distancePath").asText()).isEqualTo("fp16");
    assertThat(d.path("referenceStatistics").asText()).isEqualTo("computed");
    assertThat(dir.resolve("ref.inception-fp32.safetensors")).exists();
  }

  @Test
  void evalCommandsHaveHelpAndTheInceptionBenchIsListed() {
    for (String[] cmd : new String[][] {{"eval", "--help"}, {"eval", "imagenet", "--help"}}) {
      Cli.Result r = Cli.run(cmd);
      assertThat(r.code()).isZero();
      assertThat(r.out()).contains("Usage: argrpo " + cmd[0] + (cmd.length == 3 ? " " + cmd[1] : ""));
    }
    assertThat(Cli.run("eval", "imagenet", "--help").out()).contains("--samples").contains("--ref")
        .contains("--inception").contains("--distances");
    Cli.Result list = Cli.run("bench", "--list");
    assertThat(list.out()).contains("inception  io.github.argrpo.examples.bench.InceptionBenchmark")
        .doesNotContain("InceptionBenchmark  (not in this build)");
  }

  @Test
  void unknownDistancePathIsAUsageError() {
    Cli.Result r = Cli.run("eval", "imagenet", "--samples", dir.toString(), "--ref", dir.toString(),
        "--inception", dir.toString(), "--distances", "fp8");
    assertThat(r.code()).isNotZero();
    assertThat(r.hasStackTrace()).isFalse();
    assertThat(String.join("\n", r.errorLines())).contains("fp8");
  }
}
