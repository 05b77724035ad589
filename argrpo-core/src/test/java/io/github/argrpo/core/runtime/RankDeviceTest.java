package io.github.argrpo.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Which GPU a rank uses, decided before any model is built, without a GPU (the device count is
 * injected). The expectations are torchrun's convention: one process per GPU, process
 * {@code LOCAL_RANK} on {@code cuda:LOCAL_RANK}; an explicit index or the CPU is the user's choice.
 */
class RankDeviceTest {

  private static DeviceSpec resolve(String spec, int localRank, int deviceCount) {
    return RankDevice.resolve(DeviceSpec.parse(spec), localRank, deviceCount);
  }

  @Test
  void plainCudaBecomesTheLocalRanksGpu() {
    assertThat(resolve("cuda", 1, 4)).isEqualTo(DeviceSpec.parse("cuda:1"));
    assertThat(resolve("cuda", 0, 1)).isEqualTo(DeviceSpec.parse("cuda:0"));
    assertThat(resolve("auto", 3, 4)).isEqualTo(DeviceSpec.parse("cuda:3"));
  }

  @Test
  void anExplicitIndexAndTheCpuAreKept() {
    assertThat(resolve("cuda:3", 1, 4)).isEqualTo(DeviceSpec.parse("cuda:3"));
    assertThat(resolve("cpu", 1, 4)).isEqualTo(DeviceSpec.CPU);
    assertThat(resolve("cpu", 5, 0)).isEqualTo(DeviceSpec.CPU);
    assertThat(resolve("auto", 2, 0)).isEqualTo(DeviceSpec.CPU);
  }

  @Test
  void aLocalRankBeyondTheDeviceCountIsAClearError() {
    assertThatThrownBy(() -> resolve("cuda", 2, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("local rank 2")
        .hasMessageContaining("only 2 CUDA device(s)")
        .hasMessageContaining("--nproc_per_node");
    assertThatThrownBy(() -> resolve("cuda:4", 0, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cuda:0 to cuda:3");
    assertThatThrownBy(() -> resolve("cuda", 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no CUDA device");
  }

  @Test
  void theLocalRankComesFromTorchrunsVariables() {
    assertThat(RankDevice.localRank(Map.of("LOCAL_RANK", "3", "RANK", "7"))).isEqualTo(3);
    assertThat(RankDevice.localRank(Map.of("RANK", "1"))).isEqualTo(1);
    assertThat(RankDevice.localRank(Map.of())).isZero();
    assertThatThrownBy(() -> RankDevice.localRank(Map.of("LOCAL_RANK", "x")))
        .hasMessageContaining("LOCAL_RANK");
  }

  @Test
  void onTheCpuBuildSelectingTheCpuSelectsNoGpu() {
    RankDevice.resetForTests();
    assertThat(RankDevice.select(DeviceSpec.CPU, 1)).isEqualTo(DeviceSpec.CPU);
    assertThat(RankDevice.selected()).isEmpty();
    RankDevice.makeCurrent(); // no GPU selected: must not touch the CUDA bindings
  }
}
