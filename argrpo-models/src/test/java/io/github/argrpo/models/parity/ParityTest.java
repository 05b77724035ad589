package io.github.argrpo.models.parity;

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
 * Runs every reference fixture under {@link Fixtures#parityDir()} through the {@link ParityHandler}
 * registered for its {@code kind} ({@code META-INF/services}). Kinds with no handler in this module
 * are reported as skipped, with the reason; a missing fixtures folder skips the whole suite.
 */
class ParityTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TestFactory
  Stream<DynamicNode> referenceFixtures() throws IOException {
    Path root = Fixtures.parityDir();
    Assumptions.assumeTrue(Files.isDirectory(root),
        "no parity fixtures at " + root + " (set -Dargrpo.parity.dir or put ../shared beside the repository)");
    List<ParityHandler> handlers = ServiceLoader.load(ParityHandler.class).stream()
        .map(ServiceLoader.Provider::get).collect(Collectors.toList());
    List<Path> folders;
    try (Stream<Path> s = Files.list(root)) {
      folders = s.filter(p -> Files.isRegularFile(p.resolve("config.json"))).sorted().collect(Collectors.toList());
    }
    return folders.stream().flatMap(folder -> forFolder(folder, handlers));
  }

  private static Stream<? extends DynamicNode> forFolder(Path folder, List<ParityHandler> handlers) {
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
    for (ParityHandler h : handlers) {
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
    return Stream.of(DynamicTest.dynamicTest(name + " / " + kind, () -> Assumptions.abort(
        "no parity handler for kind '" + kind + "' in this module (registered: "
            + handlers.stream().map(h -> h.getClass().getSimpleName()).collect(Collectors.joining(", ")) + ")")));
  }
}
