package io.github.argrpo.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.core.testing.Fixtures;
import io.github.argrpo.examples.export.NpzWriter;
import picocli.CommandLine.ParameterException;

/** {@code argrpo bench inception} with tiny arguments: it runs, and its options are checked (no timing asserted). */
class InceptionBenchmarkTest {

  @TempDir
  Path dir;

  @Test
  void tinyRunReportsEachPrecision() throws Exception {
    List<InceptionBenchmark.Result> r = InceptionBenchmark.runExample(
        new String[] {"--precisions", "fp32,bf16", "--batch", "1", "--iters", "1", "--image", "16", "--threads", "1"});
    assertThat(r).extracting(InceptionBenchmark.Result::precision).containsExactly(Precision.FP32, Precision.BF16);
    assertThat(r).allSatisfy(x -> assertThat(x.imagesPerSecond()).isPositive());
  }

  @Test
  void bf16VersusFp32FidOfTheSameImagesIsSmallAndNonNegative() throws Exception {
    Path weights = Fixtures.sharedDir().resolve("fixtures/eval/inception-fid/weights.safetensors");
    Assumptions.assumeTrue(Files.isRegularFile(weights), "no fixture network at " + weights);
    Path npz = dir.resolve("imgs.npz");
    Random rnd = new Random(3);
    try (NpzWriter w = NpzWriter.create(npz, "arr_0", 4, 12, 12, 3)) {
      for (int i = 0; i < 4; i++) {
        byte[] b = new byte[12 * 12 * 3];
        rnd.nextBytes(b);
        w.write(b);
      }
    }
    InceptionBenchmark.PrecisionFid f = InceptionBenchmark.precisionFid(new String[] {"--inception", weights.toString(),
        "--images", npz.toString(), "--fid-images", "3", "--batch", "2"});
    assertThat(f.images()).isEqualTo(3);
    // bf16 moves each pool_3 feature (mean ~1.1 here) by up to a few percent: 2048 x (0.02 x 1.1)^2 ~ 1, so
    // the distance is of order 1; 10 leaves an order of magnitude and is still far below the spread of
    // pool_3 across images (2048 x 0.3^2 ~ 180, fixture README)
    assertThat(f.fid()).isGreaterThan(0.0).isLessThan(10.0);
  }

  @Test
  void unknownOptionsAreRejected() {
    assertThatThrownBy(() -> InceptionBenchmark.runExample(new String[] {"--nope"}))
        .isInstanceOf(ParameterException.class).hasMessageContaining("--nope");
  }
}
