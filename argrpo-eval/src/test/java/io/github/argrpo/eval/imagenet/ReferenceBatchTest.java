package io.github.argrpo.eval.imagenet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.core.testing.Fixtures;
import io.github.argrpo.eval.imagenet.inception.FidInceptionV3;
import io.github.argrpo.eval.imagenet.inception.InceptionOutputs;

/** The reference batch: activations cached beside the .npz, stored mu/sigma used as they are. */
class ReferenceBatchTest {

  private static final Path WEIGHTS = Fixtures.sharedDir().resolve("fixtures/eval/inception-fid/weights.safetensors");
  private static FidInceptionV3 net;

  @TempDir
  Path dir;

  @BeforeAll
  static void loadNetwork() throws Exception {
    Assumptions.assumeTrue(Files.isRegularFile(WEIGHTS), "no fixture network at " + WEIGHTS);
    net = FidInceptionV3.load(WEIGHTS, Precision.FP32);
  }

  @AfterAll
  static void closeNetwork() {
    if (net != null) {
      net.close();
    }
  }

  private static int firstMismatch(double[] a, double[] b) {
    if (a.length != b.length) {
      return Integer.MAX_VALUE;
    }
    for (int i = 0; i < a.length; i++) {
      if (Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(b[i])) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] images(int n, int h, int w, long seed) {
    byte[] b = new byte[n * h * w * 3];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void activationsAreComputedOnceThenReadFromTheCache() throws Exception {
    Path npz = dir.resolve("ref.npz");
    TestNpz.write(npz, Map.of("arr_0", TestNpz.Array.u8(images(3, 16, 20, 1), 3, 16, 20, 3)));

    ReferenceBatch first = ReferenceBatch.load(npz, net, WEIGHTS, 2, null);
    ReferenceBatch second = ReferenceBatch.load(npz, net, WEIGHTS, 2, null);

    assertThat(first.statisticsSource()).isEqualTo("computed");
    assertThat(second.statisticsSource()).isEqualTo("cache");
    assertThat(dir.resolve("ref.inception-fp32.safetensors")).exists();
    // Arrays.equals: AssertJ's containsExactly diffs million-element arrays quadratically on failure
    assertThat(Arrays.equals(second.pool().data(), first.pool().data())).as("pool rows").isTrue();
    assertThat(Arrays.equals(second.poolStats().mu(), first.poolStats().mu())).as("pool mu").isTrue();
    assertThat(firstMismatch(second.poolStats().sigma(), first.poolStats().sigma())).as("pool sigma").isEqualTo(-1);
    assertThat(firstMismatch(second.spatialStats().sigma(), first.spatialStats().sigma())).as("spatial sigma").isEqualTo(-1);
    assertThat(first.pool().rows()).isEqualTo(3);
  }

  @Test
  void storedStatisticsAreUsedAndActivationsStillComeFromArr0() throws Exception {
    int d = InceptionOutputs.POOL_DIM;
    int ds = InceptionOutputs.SPATIAL_DIM;
    double[] mu = new double[d];
    mu[0] = 0.5;
    double[] sigma = new double[d * d];
    sigma[1] = 2.0;
    Map<String, TestNpz.Array> arrays = new LinkedHashMap<>();
    arrays.put("arr_0", TestNpz.Array.u8(images(2, 8, 8, 2), 2, 8, 8, 3));
    arrays.put("mu", TestNpz.Array.f64(mu, d));
    arrays.put("sigma", TestNpz.Array.f64(sigma, d, d));
    arrays.put("mu_s", TestNpz.Array.f64(new double[ds], ds));
    arrays.put("sigma_s", TestNpz.Array.f64(new double[ds * ds], ds, ds));
    Path npz = dir.resolve("VIRTUAL_test.npz");
    TestNpz.write(npz, arrays);

    ReferenceBatch r = ReferenceBatch.load(npz, net, WEIGHTS, 4, null);

    assertThat(r.statisticsSource()).isEqualTo("npz");
    assertThat(r.poolStats().mu()[0]).isEqualTo(0.5f);
    assertThat(r.poolStats().sigma()[1]).isEqualTo(2.0);
    assertThat(r.spatialStats().dim()).isEqualTo(ds);
    assertThat(r.pool().rows()).isEqualTo(2);
  }
}
