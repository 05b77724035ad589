package io.github.argrpo.models.parity;

import io.github.argrpo.core.testing.FixtureHandler;

/** One kind of reference fixture ({@code config.json} "kind"): builds the model and yields one test per case. */
public interface ParityHandler extends FixtureHandler {
}
