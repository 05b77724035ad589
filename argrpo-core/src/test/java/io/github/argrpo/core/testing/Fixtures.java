package io.github.argrpo.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the reference fixtures are. Tests read them from {@code ../shared} beside the repository (CI
 * has it there) and never copy them into the project.
 *
 * <p>The repository root comes from system property {@code argrpo.repo.root} (the parent POM passes
 * Maven's multi-module directory), else the working directory or its parent, whichever holds the
 * parent {@code pom.xml} with the module folders.
 */
public final class Fixtures {

  private Fixtures() {}

  /** The repository root. */
  public static Path repoRoot() {
    String prop = System.getProperty("argrpo.repo.root");
    if (prop != null && !prop.isBlank()) {
      return Paths.get(prop).toAbsolutePath().normalize();
    }
    Path cwd = Paths.get("").toAbsolutePath();
    for (Path p = cwd; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("argrpo-core")) && Files.exists(p.resolve("pom.xml"))) {
        return p;
      }
    }
    return cwd;
  }

  /** {@code ../shared} beside the repository. */
  public static Path sharedDir() {
    return repoRoot().resolve("../shared").normalize();
  }

  /**
   * A folder named by system property {@code property} (absolute, or relative to the repository root),
   * else {@code ../shared/<defaultRelative>}.
   */
  public static Path fromProperty(String property, String defaultRelative) {
    String v = System.getProperty(property);
    if (v != null && !v.isBlank()) {
      Path p = Paths.get(v);
      return p.isAbsolute() ? p.normalize() : repoRoot().resolve(p).normalize();
    }
    return sharedDir().resolve(defaultRelative).normalize();
  }

  /** The parity fixtures folder: {@code argrpo.parity.dir}, default {@code ../shared/fixtures/parity}. */
  public static Path parityDir() {
    return fromProperty("argrpo.parity.dir", "fixtures/parity");
  }

  /** The CLIP tokenizer cases: {@code argrpo.clip.tokenizer.cases}, default {@code ../shared/fixtures/clip-tokenizer/cases.json}. */
  public static Path clipTokenizerCases() {
    return fromProperty("argrpo.clip.tokenizer.cases", "fixtures/clip-tokenizer/cases.json");
  }

  /** A file or folder under {@code ../shared/data}. */
  public static Path data(String name) {
    return sharedDir().resolve("data").resolve(name);
  }
}
