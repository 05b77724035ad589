package io.github.argrpo.examples.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binary distribution as a user gets it: {@code argrpo-<version>-bin.tar.gz} unpacked into a temporary
 * folder, {@code bin/argrpo} run from there with a {@code mvn} first on the PATH that fails loudly (so the
 * program provably needs no Maven), and the tiny demo trained end to end. Runs in {@code mvn verify}
 * (Failsafe), after the package phase made the archive.
 */
class DistributionIT {

  @TempDir
  static Path dir;

  private static Path home;
  private static Path marker;
  private static Path fakeBin;

  @BeforeAll
  static void unpack() throws Exception {
    Path archive = Path.of(System.getProperty("argrpo.distribution"));
    assertThat(archive).as("the archive mvn package writes").exists();
    assertThat(Path.of(archive.toString().replace(".tar.gz", ".zip"))).exists();
    run(List.of("tar", "-xzf", archive.toString(), "-C", dir.toString()), Map.of(), 60);
    home = dir.resolve("argrpo-" + System.getProperty("argrpo.expected.version"));
    marker = dir.resolve("maven-was-called");
    fakeBin = Files.createDirectories(dir.resolve("fake-bin"));
    Path mvn = fakeBin.resolve("mvn");
    Files.writeString(mvn, "#!/bin/sh\ntouch '" + marker + "'\necho 'mvn must not be called' >&2\nexit 1\n");
    mvn.toFile().setExecutable(true);
  }

  private static String run(List<String> command, Map<String, String> env, int timeoutSeconds) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(timeoutSeconds, TimeUnit.SECONDS)).as("finished in time: " + command).isTrue();
    assertThat(p.exitValue()).as(command + " exit status; output:\n" + out).isZero();
    return out;
  }

  private static String argrpo(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/argrpo").toString()));
    cmd.addAll(List.of(args));
    String path = fakeBin + ":" + System.getenv("PATH");
    return run(cmd, Map.of("PATH", path, "ARGRPO_JAVA_OPTS", "-Dargrpo.threads=1"), 120);
  }

  @Test
  void layout() {
    assertThat(home.resolve("bin/argrpo")).isExecutable();
    assertThat(home.resolve("LICENSE")).exists();
    assertThat(home.resolve("README.md")).exists();
    assertThat(home.resolve("configs/c2i_B_256.yaml")).exists();
    assertThat(home.resolve("docs/metrics.md")).exists();
    assertThat(home.resolve("lib/argrpo-examples-" + System.getProperty("argrpo.expected.version") + ".jar")).exists();
  }

  @Test
  void versionComesFromTheJarManifest() throws Exception {
    assertThat(argrpo("--version").trim()).isEqualTo("argrpo " + System.getProperty("argrpo.expected.version"));
  }

  @Test
  void envReportsTheOpenMpSpinSettingOfTheLauncher() throws Exception {
    assertThat(argrpo("env")).contains("GOMP_SPINCOUNT=3000");
    assertThat(marker).doesNotExist();
  }

  @Test
  void demoTrainsFromTheUnpackedArchive() throws Exception {
    Path out = dir.resolve("demo-run");
    String log = argrpo("demo", "--out", out.toString(), "--pretrain-steps", "5", "--grpo-steps", "2", "--no-progress");
    assertThat(log).contains("run folder");
    assertThat(out.resolve("metrics.jsonl")).exists();
    assertThat(out.resolve("reward_curve.png")).exists();
    assertThat(out.resolve("reward_components.png")).exists();
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("events.out.tfevents."));
    }
    assertThat(marker).doesNotExist();
  }
}
