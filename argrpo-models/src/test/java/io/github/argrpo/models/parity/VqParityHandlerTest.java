package io.github.argrpo.models.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import io.github.argrpo.core.testing.Fixtures;

/** Runs {@link VqParity} on {@code ../shared/fixtures/parity/vq-tiny} until the shared ParityTest driver exists. */
class VqParityHandlerTest {

  private static final Path DIR = Fixtures.parityDir().resolve("vq-tiny");

  @TestFactory
  Stream<? extends DynamicNode> vqTiny() throws Exception {
    JsonNode config = new ObjectMapper().readTree(Files.readString(DIR.resolve("config.json")));
    assertThat(new VqParity().handles(config.path("kind").asText())).isTrue();
    return new VqParity().cases(DIR, config);
  }

  @Test
  void yieldsTheThreeCasesNamedAfterTheFolder() throws Exception {
    JsonNode config = new ObjectMapper().readTree(Files.readString(DIR.resolve("config.json")));
    List<String> names = new VqParity().cases(DIR, config).map(DynamicNode::getDisplayName)
        .collect(Collectors.toList());
    assertThat(names).containsExactly("vq-tiny / enc", "vq-tiny / dec", "vq-tiny / recon");
  }

  @Test
  void isRegisteredAsAServiceAndRefusesOtherKinds() {
    List<ParityHandler> handlers = ServiceLoader.load(ParityHandler.class).stream()
        .map(ServiceLoader.Provider::get).collect(Collectors.toList());
    assertThat(handlers).anyMatch(h -> h instanceof VqParity);
    assertThat(new VqParity().handles("llamagen-gpt")).isFalse();
  }

}
