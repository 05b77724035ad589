package io.github.argrpo.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch_cuda;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link RankDevice} against the real CUDA bindings: the last visible GPU selected as a rank's GPU is
 * what {@code cuda} means afterwards and what a pool thread finds current. Tagged {@code gpu}:
 * excluded from the default build, run on a CUDA machine with
 * {@code mvn -Pgpu -Dgroups=gpu -pl argrpo-core test}; skips without CUDA.
 */
@Tag("gpu")
class RankDeviceGpuTest {

  private static int count;

  @BeforeAll
  static void cuda() {
    NativeRuntime.init();
    assumeTrue(NativeRuntime.cudaAvailable(), "no CUDA device");
    count = torch_cuda.device_count();
  }

  @AfterEach
  void forget() {
    RankDevice.resetForTests();
    torch_cuda.set_device((byte) 0);
  }

  @Test
  void theLocalRanksGpuIsWhatCudaMeansOnEveryThread() throws Exception {
    int last = count - 1;
    assertThat(RankDevice.select(DeviceSpec.parse("cuda"), last)).isEqualTo(DeviceSpec.parse("cuda:" + last));
    assertThat((int) torch_cuda.current_device()).isEqualTo(last);
    try (Device d = DeviceSpec.parse("cuda").toDevice()) {
      assertThat(d.is_cuda()).isTrue();
      assertThat((int) d.index()).isEqualTo(last);
    }
    ExecutorService pool = Executors.newSingleThreadExecutor(RankDevice.threadFactory("probe"));
    try {
      int seen = pool.submit(() -> (int) torch_cuda.current_device()).get(30, TimeUnit.SECONDS);
      assertThat(seen).isEqualTo(last);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aLocalRankWithoutAGpuFailsClearly() {
    assertThatThrownBy(() -> RankDevice.select(DeviceSpec.parse("cuda"), count))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only " + count + " CUDA device(s)");
  }
}
