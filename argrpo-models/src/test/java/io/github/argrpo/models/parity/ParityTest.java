package io.github.argrpo.models.parity;

import java.io.IOException;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import io.github.argrpo.core.testing.FixtureSuite;
import io.github.argrpo.core.testing.FixtureSuite.UnknownKinds;
import io.github.argrpo.core.testing.Fixtures;

/**
 * Runs every reference fixture under {@link Fixtures#parityDir()} through the {@link ParityHandler}
 * registered for its {@code kind} ({@code META-INF/services}). Kinds with no handler in this module
 * are reported as skipped, with the reason; a missing fixtures folder skips the whole suite.
 */
class ParityTest {

  @TestFactory
  Stream<DynamicNode> referenceFixtures() throws IOException {
    return FixtureSuite.tests(Fixtures.parityDir(), "parity fixtures (set -Dargrpo.parity.dir or put ../shared beside "
        + "the repository)", FixtureSuite.registered(ParityHandler.class), UnknownKinds.SKIP);
  }
}
