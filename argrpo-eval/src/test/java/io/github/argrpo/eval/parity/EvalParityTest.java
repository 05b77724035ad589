package io.github.argrpo.eval.parity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import io.github.argrpo.core.testing.FixtureHandler;
import io.github.argrpo.core.testing.FixtureSuite;
import io.github.argrpo.core.testing.FixtureSuite.UnknownKinds;
import io.github.argrpo.core.testing.Fixtures;

/**
 * Runs every evaluation fixture folder under system property {@code argrpo.eval.fixtures} (default
 * {@code ../shared/fixtures/eval}, resolved like {@link Fixtures#fromProperty}) through the
 * {@link EvalFixtureHandler} registered for its {@code config.kind}
 * ({@code META-INF/services}). A missing fixtures folder skips the suite; a kind with no handler
 * fails, because every kind of the fixture set is expected to be covered.
 */
class EvalParityTest {

  /** The fixtures folder: {@code argrpo.eval.fixtures}, default {@code ../shared/fixtures/eval}. */
  static Path fixturesDir() {
    return Fixtures.fromProperty("argrpo.eval.fixtures", "fixtures/eval");
  }

  @TestFactory
  Stream<DynamicNode> referenceFixtures() throws IOException {
    return FixtureSuite.tests(fixturesDir(), "evaluation fixtures (set -Dargrpo.eval.fixtures or put ../shared beside "
        + "the repository)", FixtureSuite.registered(EvalFixtureHandler.class), UnknownKinds.FAIL);
  }

  static Stream<? extends DynamicNode> forFolder(Path folder, List<? extends FixtureHandler> handlers) {
    return FixtureSuite.forFolder(folder, handlers, UnknownKinds.FAIL);
  }
}
