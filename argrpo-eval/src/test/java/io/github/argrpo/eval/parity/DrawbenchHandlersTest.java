package io.github.argrpo.eval.parity;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import io.github.argrpo.core.testing.Fixtures;

/**
 * Runs the two DrawBench handlers ({@code aesthetic-mlp}, {@code pickscore-head}) on the fixtures under
 * {@code argrpo.eval.fixtures} (default {@code ../shared/fixtures/eval}) until the shared
 * {@code EvalParityTest} driver runs every handler; skipped when the fixtures are absent.
 */
class DrawbenchHandlersTest {

  @TestFactory
  Stream<DynamicNode> drawbenchFixtures() throws Exception {
    Path root = Fixtures.fromProperty("argrpo.eval.fixtures", "fixtures/eval");
    assumeTrue(Files.isDirectory(root), "no eval fixtures at " + root);
    List<EvalFixtureHandler> handlers = List.of(new AestheticMlpHandler(), new PickScoreHeadHandler());
    List<DynamicNode> out = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : dirs.sorted().toList()) {
        Path cfg = d.resolve("config.json");
        if (!Files.isRegularFile(cfg)) {
          continue;
        }
        JsonNode config = json.readTree(cfg.toFile());
        for (EvalFixtureHandler h : handlers) {
          if (h.handles(config.path("kind").asText())) {
            h.cases(d, config).forEach(out::add);
          }
        }
      }
    }
    assumeTrue(!out.isEmpty(), "no aesthetic-mlp or pickscore-head fixture under " + root);
    return out.stream();
  }
}
