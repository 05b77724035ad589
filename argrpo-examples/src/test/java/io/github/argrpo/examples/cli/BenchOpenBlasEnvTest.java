package io.github.argrpo.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmarks measure the machine, so both launchers ({@code ./argrpo} in a checkout and {@code bin/argrpo}
 * of the distribution) start {@code argrpo bench} without an OpenBLAS core-type or cache-size pin, say so,
 * and leave every other subcommand's environment alone. The launchers run here against a stand-in
 * {@code java} that prints what it was given, so no JVM or build is involved.
 */
class BenchOpenBlasEnvTest {

  @TempDir
  Path dir;

  private record Result(String out, String err) {}

  /** Runs the distribution's bin/argrpo with {@code JAVA_HOME} pointing at a stand-in that echoes the variables. */
  private Result launch(Map<String, String> env, String... args) throws Exception {
    Path javaHome = dir.resolve("jdk");
    Path java = Files.createDirectories(javaHome.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\necho \"CORETYPE=${OPENBLAS_CORETYPE:-unset} L2=${OPENBLAS_L2_SIZE:-unset} args=$*\"\n");
    assertThat(java.toFile().setExecutable(true)).isTrue();
    Path script = Path.of("src/dist/bin/argrpo").toAbsolutePath();
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("ARGRPO_BENCH_KEEP_OPENBLAS");
    pb.environment().put("JAVA_HOME", javaHome.toString());
    pb.environment().putAll(env);
    Path errFile = dir.resolve("err.txt");
    pb.redirectError(errFile.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return new Result(out, Files.readString(errFile));
  }

  @Test
  void benchRunsWithoutThePinsAndSaysSo() throws Exception {
    Result r = launch(Map.of("OPENBLAS_CORETYPE", "Haswell", "OPENBLAS_L2_SIZE", "1048576"), "bench", "gpt");
    assertThat(r.out()).contains("CORETYPE=unset L2=unset");
    assertThat(r.err()).contains("unsetting OPENBLAS_CORETYPE=Haswell").contains("unsetting OPENBLAS_L2_SIZE=1048576");
  }

  @Test
  void otherSubcommandsAndTheOptOutKeepThem() throws Exception {
    assertThat(launch(Map.of("OPENBLAS_CORETYPE", "Haswell"), "train", "-c", "x").out()).contains("CORETYPE=Haswell");
    Result kept = launch(Map.of("OPENBLAS_CORETYPE", "Haswell", "ARGRPO_BENCH_KEEP_OPENBLAS", "1"), "bench", "gpt");
    assertThat(kept.out()).contains("CORETYPE=Haswell");
    assertThat(kept.err()).doesNotContain("unsetting");
  }

  @Test
  void theCheckoutLauncherCarriesTheSameRule() throws Exception {
    // ./argrpo builds before it runs, so it is not started here; it must hold the same block as bin/argrpo
    String dist = Files.readString(Path.of("src/dist/bin/argrpo"));
    String checkout = Files.readString(Path.of("../argrpo"));
    String block = dist.substring(dist.indexOf("if [[ \"${1:-}\" == \"bench\""), dist.indexOf("fi\n# -Dorg.bytedeco"));
    assertThat(checkout).contains(block);
  }

  @Test
  void aJvmStartedWithAPinIsWarnedAbout() {
    assertThat(BenchCommand.openBlasPins(Map.of("OPENBLAS_CORETYPE", "Haswell", "PATH", "/bin")))
        .containsExactly("OPENBLAS_CORETYPE=Haswell");
    assertThat(BenchCommand.openBlasPins(Map.of("OPENBLAS_L2_SIZE", ""))).isEmpty();
  }
}
