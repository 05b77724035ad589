package io.github.argrpo.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** {@code argrpo --version}, {@code argrpo env}, launch's torchrun spellings and bench's help. */
class EnvAndVersionTest {

  /** The pom's version, handed to the test JVM by Surefire. */
  private static final String POM_VERSION = System.getProperty("argrpo.expected.version");

  @Test
  void versionIsThePomsVersion() {
    assertThat(POM_VERSION).isNotBlank();
    Cli.Result r = Cli.run("--version");
    assertThat(r.code()).isZero();
    assertThat(r.out().trim()).isEqualTo("argrpo " + POM_VERSION);
  }

  @Test
  void envPrintsEveryLine() {
    Cli.Result r = Cli.run("env");
    assertThat(r.code()).isZero();
    List<String> names = Arrays.stream(r.out().split("\\R")).map(l -> l.substring(0, l.indexOf(':'))).toList();
    assertThat(names).containsExactly("argrpo", "java", "os", "cpu", "cpu features", "bf16 kernels", "libtorch", "bytedeco", "natives",
        "cuda", "threads", "openmp spin", "native cache");
    assertThat(r.out()).contains("argrpo:       " + POM_VERSION + "\n")
        .contains("java:         " + System.getProperty("java.version") + " ")
        .contains("avx512_bf16 ")
        .containsPattern("bf16 kernels: (native \\(oneDNN\\)|through fp32 \\(no oneDNN bf16 on this CPU; -Dargrpo.bf16InFp32 overrides\\))\n")
        .contains("pytorch 2.10.0-1.5.13, javacpp 1.5.13, openblas 0.3.31-1.5.13")
        .contains("libtorch:     2.10.0 ");
  }

  @Test
  void cpuFeaturesComeFromTheFlagsLine() {
    List<String> cpuinfo = List.of("processor\t: 0", "model name\t: Test CPU 9000", "flags\t\t: fpu sse avx2 fma avx512f avx512_bf16");
    assertThat(EnvCommand.cpuModel(cpuinfo)).isEqualTo("Test CPU 9000");
    assertThat(EnvCommand.cpuFeatures(cpuinfo))
        .isEqualTo("avx2 yes, fma yes, avx512f yes, avx512_bf16 yes, amx_bf16 no, amx_tile no");
  }

  @Test
  void launchTakesTorchrunsSpellings() {
    for (String spelling : List.of("--nproc", "--nproc-per-node", "--nproc_per_node")) {
      LaunchCommand l = new LaunchCommand();
      new CommandLine(l).parseArgs(spelling, "3", "--", "train");
      assertThat(l.nproc).as(spelling).isEqualTo(3);
    }
  }

  @Test
  void benchHelpNamesOnlyBenchmarksThatExist() {
    Cli.Result r = Cli.run("bench", "--help");
    assertThat(r.out()).contains("gpt").doesNotContain("vq");
    assertThat(BenchCommand.BENCHMARKS).doesNotContainKey("vq");
  }
}
