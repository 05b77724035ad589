package io.github.argrpo.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.github.argrpo.core.distributed.LaunchConfig;
import picocli.CommandLine;

/**
 * {@code argrpo launch}'s command line (picocli), formerly {@code LocalLauncher.parse}'s: the options
 * become the {@link LaunchConfig} the ranks are started with, and bad command lines fail naming the
 * problem before any process starts. Expected values are the options typed in each test.
 */
class LaunchCommandTest {

  private static LaunchConfig parse(String... args) {
    LaunchCommand l = new LaunchCommand();
    new CommandLine(l).parseArgs(args);
    return l.config();
  }

  @Test
  void parsesOptionsUpToTheSeparatorAndPassesTheRestToTheRanks() {
    LaunchConfig c = parse("--nproc", "4", "--port", "29600", "--timeout-s", "30", "--threads-per-rank", "2",
        "--max-time-s", "90", "--grace-s", "1.5", "--jvm-arg", "-Xmx2g", "--main-class", "com.example.Train",
        "--cp", "app.jar", "--", "--steps", "10");
    assertThat(c.processes()).isEqualTo(4);
    assertThat(c.masterPort()).isEqualTo(29600);
    assertThat(c.environment()).containsEntry("ARGRPO_DIST_TIMEOUT_S", "30");
    assertThat(c.threadsPerRank()).isEqualTo(2);
    assertThat(c.maxRuntime()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofMillis(1500));
    // the launcher's own JVM options come first, the user's after them
    assertThat(c.jvmArgs()).containsExactly("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dargrpo.threads=2", "-Xmx2g");
    assertThat(c.mainClass()).isEqualTo("com.example.Train");
    assertThat(c.classpath()).isEqualTo("app.jar");
    assertThat(c.args()).containsExactly("--steps", "10");
  }

  @Test
  void byDefaultTheRanksRunTheArgrpoProgram() {
    LaunchConfig c = parse("--nproc", "2", "--", "train", "-c", "c2i_B_256");
    assertThat(c.mainClass()).isEqualTo("io.github.argrpo.examples.Main");
    assertThat(c.args()).containsExactly("train", "-c", "c2i_B_256");
    assertThat(c.classpath()).isEqualTo(System.getProperty("java.class.path"));
    assertThat(c.masterPort()).isZero();
    assertThat(c.maxRuntime()).isEqualTo(Duration.ZERO);
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.environment()).containsEntry("ARGRPO_DIST_TIMEOUT_S", "600");
    assertThat(c.threadsPerRank()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
  }

  @Test
  void rejectsBadCommandLinesNamingTheProblem() {
    Cli.Result noNproc = Cli.run("launch", "--", "train");
    assertThat(noNproc.code()).isEqualTo(2);
    assertThat(noNproc.err()).contains("Missing required option: '--nproc");

    Cli.Result noCommand = Cli.run("launch", "--nproc", "2");
    assertThat(noCommand.code()).isEqualTo(2);
    assertThat(noCommand.errorLines()).singleElement().asString().contains("name the argrpo subcommand");

    Cli.Result notANumber = Cli.run("launch", "--nproc", "two", "--", "train");
    assertThat(notANumber.code()).isEqualTo(2);
    // picocli names the option by its longest spelling, --nproc-per-node
    assertThat(notANumber.err()).contains("Invalid value for option '--nproc-per-node': 'two' is not an int");

    Cli.Result unknown = Cli.run("launch", "--frobnicate", "1", "--nproc", "2", "--", "train");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unknown option").contains("--frobnicate");

    Cli.Result zero = Cli.run("launch", "--nproc", "0", "--", "train");
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.errorLines()).singleElement().asString().contains("--nproc must be >= 1, got 0");

    Cli.Result port = Cli.run("launch", "--nproc", "2", "--port", "70000", "--", "train");
    assertThat(port.code()).isEqualTo(2);
    assertThat(port.errorLines()).singleElement().asString().contains("masterPort must be in [0, 65535]");
  }
}
