package io.github.argrpo.models.parity;

import java.nio.file.Path;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicNode;

/** One kind of reference fixture ({@code config.json} "kind"): builds the model and yields one test per case. */
public interface ParityHandler {

  /** Whether this handler runs fixtures of {@code kind}. */
  boolean handles(String kind);

  /**
   * One dynamic test per case of the fixture in {@code fixtureDir}; every display name contains the
   * folder name, e.g. {@code "gpt-c2i-tiny / teacher_forced"}.
   */
  Stream<? extends DynamicNode> cases(Path fixtureDir, JsonNode config) throws Exception;
}
