package io.github.argrpo.core.testing;

import java.nio.file.Path;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicNode;

/**
 * Runs the reference fixtures of one {@code kind} (a folder with a {@code config.json} naming its kind,
 * in the format of {@code shared/fixtures/README.md}); {@link FixtureSuite} finds the handler of each
 * folder. Modules register theirs with {@code META-INF/services} under their own sub-interface.
 */
public interface FixtureHandler {

  /** Whether this handler runs fixtures of {@code kind}. */
  boolean handles(String kind);

  /**
   * One dynamic test per case of the fixture in {@code fixtureDir}; every display name contains the
   * folder name, e.g. {@code "gpt-c2i-tiny / teacher_forced"}.
   */
  Stream<? extends DynamicNode> cases(Path fixtureDir, JsonNode config) throws Exception;
}
