package io.github.argrpo.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/**
 * The version of this build, for {@code argrpo --version} and {@code argrpo env}: the jar manifest's
 * {@code Implementation-Version} when running from the jar (the distribution, {@code ./argrpo}), else
 * the version Maven wrote into {@code version.properties} (classes run from {@code target/classes}).
 */
public final class ArgrpoVersion implements IVersionProvider {

  private static final String RESOURCE = "/io/github/argrpo/examples/version.properties";

  /** The version, never null ({@code "unknown"} if neither source has it). */
  public static String version() {
    String manifest = ArgrpoVersion.class.getPackage().getImplementationVersion();
    if (manifest != null && !manifest.isBlank()) {
      return manifest;
    }
    try (InputStream in = ArgrpoVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.contains("${") ? "unknown" : v;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {"argrpo " + version()};
  }
}
