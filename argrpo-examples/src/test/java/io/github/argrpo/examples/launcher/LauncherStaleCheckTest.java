package io.github.argrpo.examples.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./argrpo} launcher's "is a build due" check, run with bash in a temporary copy of the
 * repository layout. What must count is what Maven puts into the jar (module main sources and
 * resources, poms); a run folder's {@code config.yaml} (the demo writes one) must not, or every call
 * after the demo rebuilds. The jar name must follow the pom's version.
 */
class LauncherStaleCheckTest {

  private static final Instant SOURCES = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant BUILT = Instant.parse("2026-01-02T00:00:00Z");
  private static final Instant LATER = Instant.parse("2026-01-03T00:00:00Z");

  @TempDir
  Path repo;

  /** A repository with version 7.3.1, its sources older than a complete build. */
  @BeforeEach
  void layout() throws IOException {
    Path script = Path.of(System.getProperty("user.dir")).getParent().resolve("argrpo");
    assertThat(script).as("the launcher script next to the module folders").isRegularFile();
    Files.copy(script, repo.resolve("argrpo"), StandardCopyOption.COPY_ATTRIBUTES);
    write("pom.xml", "<project>\n  <groupId>io.github.argrpo</groupId>\n  <artifactId>argrpo-parent</artifactId>\n"
        + "  <version>7.3.1</version>\n  <dependencies><dependency><version>1.0</version></dependency></dependencies>\n"
        + "</project>\n", SOURCES);
    write("argrpo-core/pom.xml", "<project/>", SOURCES);
    write("argrpo-core/src/main/java/A.java", "class A {}", SOURCES);
    write("argrpo-core/src/test/java/ATest.java", "class ATest {}", SOURCES);
    write("argrpo-examples/pom.xml", "<project/>", SOURCES);
    write("argrpo-examples/src/main/resources/configs/c2i.yaml", "a: 1", SOURCES);
    write("argrpo-examples/target/argrpo-examples-7.3.1.jar", "jar", BUILT);
    write("argrpo-examples/target/classpath.txt", "", BUILT);
    write("argrpo-examples/target/argrpo-build-args.txt", "", BUILT);
  }

  private void write(String rel, String text, Instant mtime) throws IOException {
    Path p = repo.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
    Files.setLastModifiedTime(p, FileTime.from(mtime));
  }

  /** Runs {@code ./argrpo --stale-check}; returns exit code and output. */
  private Result check() throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", repo.resolve("argrpo").toString(), "--stale-check")
        .redirectErrorStream(true);
    pb.environment().remove("ARGRPO_MAVEN_ARGS");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  private record Result(int code, String out) {}

  @Test
  void aBuildNewerThanItsSourcesIsUpToDateUnderTheVersionedJarName() throws Exception {
    Result r = check();
    assertThat(r.out()).isEqualTo("up to date");
    assertThat(r.code()).isZero();
  }

  @Test
  void aRunFoldersConfigYamlDoesNotMakeItStale() throws Exception {
    write("runs/demo/config.yaml", "steps: 3", LATER);
    write("docs/notes.yaml", "x: 1", LATER);
    Result r = check();
    assertThat(r.out()).isEqualTo("up to date");
    assertThat(r.code()).isZero();
  }

  @Test
  void aNewerTestSourceDoesNotMakeItStale() throws Exception {
    // `mvn package -DskipTests` compiles tests but leaves the jar as it is: counting them would rebuild forever
    write("argrpo-core/src/test/java/ATest.java", "class ATest { }", LATER);
    Result r = check();
    assertThat(r.out()).isEqualTo("up to date");
    assertThat(r.code()).isZero();
  }

  @Test
  void aNewerMainSourceResourceOrPomMakesItStale() throws Exception {
    write("argrpo-core/src/main/java/A.java", "class A { }", LATER);
    Result java = check();
    assertThat(java.code()).isEqualTo(1);
    assertThat(java.out()).isEqualTo("stale: argrpo-core/src/main/java/A.java is newer than the jar");

    write("argrpo-core/src/main/java/A.java", "class A {}", SOURCES);
    write("argrpo-examples/src/main/resources/configs/c2i.yaml", "a: 2", LATER);
    assertThat(check().out()).contains("configs/c2i.yaml is newer");

    write("argrpo-examples/src/main/resources/configs/c2i.yaml", "a: 2", SOURCES);
    write("argrpo-core/pom.xml", "<project></project>", LATER);
    assertThat(check().out()).isEqualTo("stale: argrpo-core/pom.xml is newer than the jar");
  }

  @Test
  void anOtherVersionsJarDoesNotCount() throws Exception {
    Files.delete(repo.resolve("argrpo-examples/target/argrpo-examples-7.3.1.jar"));
    write("argrpo-examples/target/argrpo-examples-0.1.0-SNAPSHOT.jar", "old", BUILT);
    Result r = check();
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).startsWith("stale: no ").endsWith("argrpo-examples-7.3.1.jar");
  }
}
