package io.github.argrpo.rewards.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLIP and HPS providers are found by name and check their options and files before loading. */
class ClipHpsProviderTest {

  @Test
  void bothAreRegisteredThroughServiceLoader() {
    assertThat(java.util.ServiceLoader.load(RewardProvider.class).stream().map(p -> p.get().name()))
        .contains("clip", "hpsv2");
    assertThat(new ClipProvider().paperScale()).hasValue(5.0);
    assertThat(new HpsProvider().paperScale()).hasValue(5.0);
  }

  @Test
  void missingFilesAndUnknownOptionsAreNamed(@TempDir Path dir) throws Exception {
    Path vocab = Files.writeString(dir.resolve("bpe.txt.gz"), "x");
    assertThatThrownBy(() -> new ClipProvider().create(RewardSpec.builder("clip").option("weights", dir.resolve("nope.safetensors")
        .toString()).option("bpe_vocab", vocab.toString()).build())).hasMessageContaining("nope.safetensors");
    assertThatThrownBy(() -> new ClipProvider().create(RewardSpec.builder("clip").option("wieghts", "x").build()))
        .hasMessageContaining("wieghts");
    assertThatThrownBy(() -> new HpsProvider().create(RewardSpec.builder("hpsv2").option("checkpoint", dir.resolve("hps.pt")
        .toString()).option("bpe_vocab", vocab.toString()).build())).hasMessageContaining("hps.pt");
    Path junk = Files.writeString(dir.resolve("junk.safetensors"), "not a weight file");
    assertThatThrownBy(() -> new ClipProvider().create(RewardSpec.builder("clip").option("weights", junk.toString())
        .option("bpe_vocab", Path.of(System.getProperty("argrpo.repo.root", ".")).resolve(
            "../shared/fixtures/clip-tokenizer/bpe_simple_vocab_16e6.txt.gz").normalize().toString()).build()))
        .hasMessageContaining("junk.safetensors");
  }
}
