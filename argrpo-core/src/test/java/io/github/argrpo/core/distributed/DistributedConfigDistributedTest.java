package io.github.argrpo.core.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Reading the torchrun variables: the values, the defaults, and an error naming each bad variable. */
class DistributedConfigDistributedTest {

  private static Map<String, String> torchrun() {
    Map<String, String> env = new HashMap<>();
    env.put("MASTER_ADDR", "10.0.0.7");
    env.put("MASTER_PORT", "40000");
    env.put("RANK", "5");
    env.put("WORLD_SIZE", "8");
    env.put("LOCAL_RANK", "1");
    return env;
  }

  @Test
  void readsTheTorchrunVariables() {
    DistributedConfig c = DistributedConfig.fromEnvironment(torchrun());
    assertThat(c.rendezvous()).isEqualTo(Rendezvous.TCP);
    assertThat(c.backend()).isEqualTo(DistributedBackend.GLOO);
    assertThat(c.masterAddr()).isEqualTo("10.0.0.7");
    assertThat(c.masterPort()).isEqualTo(40000);
    assertThat(new int[] {c.rank(), c.worldSize(), c.localRank()}).containsExactly(5, 8, 1);
    assertThat(c.timeout()).isEqualTo(DistributedConfig.DEFAULT_TIMEOUT);
    assertThat(c.bucketSizeBytes()).isEqualTo(25L * 1024 * 1024);
    assertThat(c.loopback()).isFalse();
  }

  @Test
  void readsTheOptionalArgrpoVariables() {
    Map<String, String> env = torchrun();
    env.put("ARGRPO_DIST_BACKEND", "NCCL");
    env.put("ARGRPO_DIST_TIMEOUT_S", "2.5");
    env.put("ARGRPO_DIST_BUCKET_MB", "4");
    env.put("GLOO_SOCKET_IFNAME", "eth1");
    DistributedConfig c = DistributedConfig.fromEnvironment(env);
    assertThat(c.backend()).isEqualTo(DistributedBackend.NCCL);
    assertThat(c.timeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(c.bucketSizeBytes()).isEqualTo(4L * 1024 * 1024);
    assertThat(c.networkInterface()).isEqualTo("eth1");
  }

  @Test
  void aStoreFileSelectsTheFileRendezvousWithoutMasterVariables() {
    Map<String, String> env = new HashMap<>(Map.of("RANK", "0", "WORLD_SIZE", "2", "ARGRPO_DIST_STORE_FILE", "/shared/run1"));
    DistributedConfig c = DistributedConfig.fromEnvironment(env);
    assertThat(c.rendezvous()).isEqualTo(Rendezvous.FILE);
    assertThat(c.storeFile()).isEqualTo(Path.of("/shared/run1"));
    assertThat(c.localRank()).as("LOCAL_RANK defaults to RANK").isZero();
  }

  @Test
  void namesTheMissingOrInvalidVariable() {
    for (String name : new String[] {"RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT"}) {
      Map<String, String> env = torchrun();
      env.remove(name);
      assertThatThrownBy(() -> DistributedConfig.fromEnvironment(env)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(name + " is not set");
    }
    Map<String, String> env = torchrun();
    env.put("RANK", "five");
    assertThatThrownBy(() -> DistributedConfig.fromEnvironment(env)).hasMessageContaining("RANK must be an integer, got 'five'");
    env.put("RANK", "8");
    assertThatThrownBy(() -> DistributedConfig.fromEnvironment(env)).hasMessageContaining("rank must be in [0, 8)")
        .hasMessageContaining("RANK=8");
    env.put("RANK", "1");
    env.put("MASTER_PORT", "70000");
    assertThatThrownBy(() -> DistributedConfig.fromEnvironment(env)).hasMessageContaining("masterPort must be in [1, 65535], got 70000");
    env.put("MASTER_PORT", "29500");
    env.put("ARGRPO_DIST_BACKEND", "mpi");
    assertThatThrownBy(() -> DistributedConfig.fromEnvironment(env)).hasMessageContaining("ARGRPO_DIST_BACKEND")
        .hasMessageContaining("'gloo' or 'nccl', got 'mpi'");
    env.remove("ARGRPO_DIST_BACKEND");
    env.put("ARGRPO_DIST_TIMEOUT_S", "-1");
    assertThatThrownBy(() -> DistributedConfig.fromEnvironment(env)).hasMessageContaining("ARGRPO_DIST_TIMEOUT_S must be a positive");
  }

  @Test
  void withoutAWorldTheContextIsTheSingleProcess() {
    assertThat(DistributedContext.fromEnvironment(Map.of())).isSameAs(DistributedContext.single());
    assertThat(DistributedContext.fromEnvironment(Map.of("WORLD_SIZE", "1", "RANK", "0"))).isSameAs(DistributedContext.single());
    assertThatThrownBy(() -> DistributedContext.fromEnvironment(Map.of("WORLD_SIZE", "2")))
        .hasMessageContaining("RANK is not set");
  }

  @Test
  void theBuilderValidates() {
    assertThatThrownBy(() -> DistributedConfig.builder().worldSize(0).build()).hasMessageContaining("worldSize must be >= 1, got 0");
    assertThatThrownBy(() -> DistributedConfig.builder().timeout(Duration.ZERO).build()).hasMessageContaining("timeout must be positive");
    assertThatThrownBy(() -> DistributedConfig.builder().bucketSizeMb(0).build()).hasMessageContaining("bucketSizeMb");
    assertThatThrownBy(() -> DistributedConfig.builder().rendezvous(Rendezvous.FILE).build()).hasMessageContaining("storeFile");
    DistributedConfig c = DistributedConfig.builder().rank(1).worldSize(2).build();
    assertThat(c.loopback()).isTrue();
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }
}
