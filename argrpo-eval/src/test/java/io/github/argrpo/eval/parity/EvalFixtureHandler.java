package io.github.argrpo.eval.parity;

import io.github.argrpo.core.testing.FixtureHandler;

/**
 * One kind of evaluation fixture (the {@code kind} of its {@code config.json}, see
 * {@code fixtures/eval/README.md}): yields one dynamic test per case. Implementations are listed in
 * {@code META-INF/services/io.github.argrpo.eval.parity.EvalFixtureHandler} and found by the
 * {@code EvalParityTest} driver.
 */
public interface EvalFixtureHandler extends FixtureHandler {
}
