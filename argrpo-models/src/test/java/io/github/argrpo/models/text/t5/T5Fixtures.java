package io.github.argrpo.models.text.t5;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Paths of the fixtures written by {@code src/test/resources/t5/make_t5_encoder_fixture.py}. */
final class T5Fixtures {

  private T5Fixtures() {}

  /** {@code t5/<name>} on the test classpath. */
  static Path resource(String name) {
    try {
      return Path.of(T5Fixtures.class.getResource("/t5/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test resource t5/" + name
          + "; regenerate with /usr/bin/python3 make_t5_encoder_fixture.py", e);
    }
  }

  /** The gated-gelu model folder (safetensors). */
  static Path gated() {
    return resource("gated");
  }

  /** The relu model folder (pytorch_model.bin). */
  static Path relu() {
    return resource("relu");
  }

  /** Inputs, expected outputs and bucket tables. */
  static Path cases() {
    return resource("cases.safetensors");
  }
}
