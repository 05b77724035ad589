package io.github.argrpo.eval.parity;

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
import org.junit.jupiter.api.TestFactory;

import io.github.argrpo.core.testing.Fixtures;

/**
 * Runs every evaluation fixture folder under system property {@code argrpo.eval.fixtures} (default
 * {@code ../shared/fixtures/eval}, resolved like {@link Fixtures#fromProperty}) through the
 * {@link EvalFixtureHandler} registered for its {@code config.kind}
 * ({@code META-INF/services}). A missing fixtures folder skips the suite; a kind with no handler
 * fails, because every kind of the fixture set is expected to be covered.
 */
class EvalParityTest {

  /** The fixture kinds whose handlers another change adds; until then they are skipped with this reason. */

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The fixtures folder: {@code argrpo.eval.fixtures}, default {@code ../shared/fixtures/eval}. */
  static Path fixturesDir() {
    return Fixtures.fromProperty("argrpo.eval.fixtures", "fixtures/eval");
  }

  @TestFactory
  Stream<DynamicNode> evalFixtures() throws IOException {
    Path root = fixturesDir();
    Assumptions.assumeTrue(Files.isDirectory(root),
        "no evaluation fixtures at " + root + " (set -Dargrpo.eval.fixtures or put ../shared beside the repository)");
    List<EvalFixtureHandler> handlers = ServiceLoader.load(EvalFixtureHandler.class).stream()
        .map(ServiceLoader.Provider::get).collect(Collectors.toList());
    List<Path> folders;
    try (Stream<Path> s = Files.list(root)) {
      folders = s.filter(p -> Files.isRegularFile(p.resolve("config.json"))).sorted().collect(Collectors.toList());
    }
    Assumptions.assumeFalse(folders.isEmpty(), "no fixture folder with a config.json under " + root);
    return folders.stream().flatMap(folder -> forFolder(folder, handlers));
  }

  static Stream<? extends DynamicNode> forFolder(Path folder, List<EvalFixtureHandler> handlers) {
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
    for (EvalFixtureHandler h : handlers) {
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
    return Stream.of(DynamicTest.dynamicTest(name + " / " + kind, () -> {
      throw new AssertionError("no EvalFixtureHandler for kind '" + kind + "' of " + folder
          + " (registered: " + registered + "); list one in META-INF/services/" + EvalFixtureHandler.class.getName());
    }));
  }
}
