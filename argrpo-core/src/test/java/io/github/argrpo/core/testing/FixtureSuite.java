package io.github.argrpo.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * The dynamic-test driver of a folder of reference fixtures: every sub-folder with a {@code config.json}
 * is handed to the {@link FixtureHandler} of its {@code kind}. An unreadable config or a handler that
 * fails to set up is a failing test named after the folder; a kind nobody handles is skipped or fails,
 * as the suite says ({@link UnknownKinds}). A missing folder skips the whole suite.
 */
public final class FixtureSuite {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a fixture of a kind without handler is. */
  public enum UnknownKinds {
    /** Skipped with the reason: the folder holds fixtures other modules run. */
    SKIP,
    /** A failure: every kind of the folder is expected to be covered here. */
    FAIL
  }

  private FixtureSuite() {
  }

  /** The handlers of {@code type} registered in {@code META-INF/services}. */
  public static <H extends FixtureHandler> List<H> registered(Class<H> type) {
    return ServiceLoader.load(type).stream().map(ServiceLoader.Provider::get).collect(Collectors.toList());
  }

  /**
   * The tests of every fixture folder under {@code root}.
   *
   * @param what the fixture set and how to point at it, for the skip message (e.g. "parity fixtures (set
   *     -Dargrpo.parity.dir ...)")
   */
  public static Stream<DynamicNode> tests(Path root, String what, List<? extends FixtureHandler> handlers,
      UnknownKinds unknown) throws IOException {
    Assumptions.assumeTrue(Files.isDirectory(root), "no " + what + " at " + root);
    List<Path> folders;
    try (Stream<Path> s = Files.list(root)) {
      folders = s.filter(p -> Files.isRegularFile(p.resolve("config.json"))).sorted().collect(Collectors.toList());
    }
    Assumptions.assumeFalse(folders.isEmpty(), "no fixture folder with a config.json under " + root);
    return folders.stream().flatMap(folder -> forFolder(folder, handlers, unknown));
  }

  /** The tests of one fixture folder. */
  public static Stream<? extends DynamicNode> forFolder(Path folder, List<? extends FixtureHandler> handlers,
      UnknownKinds unknown) {
    String name = folder.getFileName().toString();
    JsonNode config;
    try {
      config = JSON.readTree(folder.resolve("config.json").toFile());
    } catch (IOException e) {
      return Stream.of(DynamicTest.dynamicTest(name + " / config.json", () -> {
        throw new AssertionError("unreadable config.json in " + folder, e);
      }));
    }
    String kind = config.path("kind").asText("");
    for (FixtureHandler h : handlers) {
      if (h.handles(kind)) {
        try {
          return h.cases(folder, config);
        } catch (Exception e) {
          return Stream.of(DynamicTest.dynamicTest(name + " / setup", () -> {
            throw new AssertionError("handler " + h.getClass().getSimpleName() + " failed on " + folder, e);
          }));
        }
      }
    }
    String registered = handlers.stream().map(h -> h.getClass().getSimpleName()).collect(Collectors.joining(", "));
    String msg = "no handler for kind '" + kind + "' of " + folder + " (registered: " + registered + ")";
    return Stream.of(DynamicTest.dynamicTest(name + " / " + kind, () -> {
      if (unknown == UnknownKinds.SKIP) {
        Assumptions.abort(msg);
      }
      throw new AssertionError(msg + "; list one in META-INF/services");
    }));
  }
}
