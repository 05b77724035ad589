package io.github.argrpo.core.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The launcher's command line. */
class LocalLauncherDistributedTest {

  @Test
  void parsesOptionsUpToTheMainClassAndPassesTheRestToTheRanks() {
    LaunchConfig c = LocalLauncher.parse(new String[] {"--nproc", "4", "--port", "29600", "--timeout-s", "30",
        "--threads-per-rank", "2", "--max-time-s", "90", "--grace-s", "1.5", "--jvm-arg", "-Xmx2g", "com.example.Train",
        "--steps", "10"});
    assertThat(c.processes()).isEqualTo(4);
    assertThat(c.masterPort()).isEqualTo(29600);
    assertThat(c.environment()).containsEntry("ARGRPO_DIST_TIMEOUT_S", "30");
    assertThat(c.threadsPerRank()).isEqualTo(2);
    assertThat(c.maxRuntime()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.jvmArgs()).containsExactly("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Xmx2g");
    assertThat(c.mainClass()).isEqualTo("com.example.Train");
    assertThat(c.args()).containsExactly("--steps", "10");
  }

  @Test
  void rejectsBadCommandLinesNamingTheProblem() {
    assertThatThrownBy(() -> LocalLauncher.parse(new String[] {"com.example.Train"})).hasMessageContaining("--nproc is required");
    assertThatThrownBy(() -> LocalLauncher.parse(new String[] {"--nproc", "2"})).hasMessageContaining("main class");
    assertThatThrownBy(() -> LocalLauncher.parse(new String[] {"--nproc", "two", "X"}))
        .hasMessageContaining("--nproc must be an integer, got 'two'");
    assertThatThrownBy(() -> LocalLauncher.parse(new String[] {"--frobnicate", "1", "X"})).hasMessageContaining("unknown option --frobnicate");
    assertThatThrownBy(() -> LocalLauncher.parse(new String[] {"--nproc", "0", "X"})).hasMessageContaining("processes must be >= 1");
  }
}
