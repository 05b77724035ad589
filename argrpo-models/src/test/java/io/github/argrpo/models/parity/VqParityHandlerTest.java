package io.github.argrpo.models.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.testing.Fixtures;
import io.github.argrpo.weights.SafetensorsFile;

/**
 * The VQ parity handler's contract, on whatever VQ fixtures the parity folder holds (any folder name,
 * any subset of the enc / dec / recon cases): {@link ParityTest} runs the cases themselves.
 */
class VqParityHandlerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every fixture folder whose config.json has a kind the VQ handler takes. */
  private static List<Path> vqFixtures() throws IOException {
    Path root = Fixtures.parityDir();
    Assumptions.assumeTrue(Files.isDirectory(root), "no parity fixtures at " + root);
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(root)) {
      for (Path p : s.sorted().collect(Collectors.toList())) {
        Path cfg = p.resolve("config.json");
        if (Files.isRegularFile(cfg) && new VqParity().handles(JSON.readTree(cfg.toFile()).path("kind").asText())) {
          out.add(p);
        }
      }
    }
    Assumptions.assumeFalse(out.isEmpty(), "no VQ fixture under " + root);
    return out;
  }

  @Test
  void eachCaseIsNamedAfterItsFolderAndOneExistsPerTensorPairTheFixtureHolds() throws Exception {
    for (Path dir : vqFixtures()) {
      JsonNode config = JSON.readTree(dir.resolve("config.json").toFile());
      Set<String> keys;
      try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("io.safetensors"))) {
        keys = f.keys();
      }
      // the fixture format: enc.images + enc.codes, dec.codes + dec.images, recon.images (+ enc.codes)
      List<String> expected = new ArrayList<>();
      String folder = dir.getFileName().toString();
      if (keys.contains("enc.images") && keys.contains("enc.codes")) {
        expected.add(folder + " / enc");
      }
      if (keys.contains("dec.codes") && keys.contains("dec.images")) {
        expected.add(folder + " / dec");
      }
      if (keys.contains("recon.images") && keys.contains("enc.codes")) {
        expected.add(folder + " / recon");
      }
      List<String> names = new VqParity().cases(dir, config).map(DynamicNode::getDisplayName).collect(Collectors.toList());
      assertThat(names).as(folder).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void isRegisteredAsAServiceAndRefusesOtherKinds() {
    List<ParityHandler> handlers = ServiceLoader.load(ParityHandler.class).stream()
        .map(ServiceLoader.Provider::get).collect(Collectors.toList());
    assertThat(handlers).anyMatch(h -> h instanceof VqParity);
    assertThat(new VqParity().handles("llamagen-gpt")).isFalse();
  }
}
