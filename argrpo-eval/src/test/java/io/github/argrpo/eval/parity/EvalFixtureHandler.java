package io.github.argrpo.eval.parity;

import java.nio.file.Path;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicNode;

/**
 * One kind of evaluation fixture (the {@code kind} of its {@code config.json}, see
 * {@code fixtures/eval/README.md}): yields one dynamic test per case. Implementations are listed in
 * {@code META-INF/services/io.github.argrpo.eval.parity.EvalFixtureHandler} and found by the
 * {@code EvalParityTest} driver.
 */
public interface EvalFixtureHandler {

  /** Whether this handler runs fixtures of {@code kind}. */
  boolean handles(String kind);

  /**
   * One dynamic test per entry of {@code config.cases}; every display name contains the folder name
   * and the case name, e.g. {@code "adm-stats / main / fid"}.
   */
  Stream<? extends DynamicNode> cases(Path fixtureDir, JsonNode config) throws Exception;
}
