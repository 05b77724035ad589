package io.github.argrpo.rewards.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.testing.Fixtures;
import io.github.argrpo.rewards.hps.HpsRewardProvider;
import io.github.argrpo.rewards.stack.RewardProviders;
import io.github.argrpo.rewards.stack.RewardSpec;

/** The {@code clip} and {@code hpsv2} reward providers: discovery, options, tokenizer lookup, load errors. */
class ClipRewardProviderTest {

  private static final Path VOCAB = ClipTokenizerTest.vocabFile();
  private static final Path TINY_WEIGHTS = Fixtures.parityDir().resolve("clip-openai-tiny/weights.safetensors");

  @Test
  void providersAreFoundByServiceLoader() {
    RewardProviders r = RewardProviders.load();
    assertThat(r.names()).contains("clip", "hpsv2");
    assertThat(r.provider("clip")).isInstanceOf(ClipRewardProvider.class);
    assertThat(r.provider("hpsv2")).isInstanceOf(HpsRewardProvider.class);
    assertThat(r.provider("clip").paperScale()).hasValue(5.0);
    assertThat(r.provider("hpsv2").paperScale()).hasValue(5.0);
  }

  @Test
  void optionsAreChecked(@TempDir Path dir) {
    ClipRewardProvider clip = new ClipRewardProvider();
    assertThatThrownBy(() -> clip.create(RewardSpec.builder("clip").option("weight", "x").build()))
        .hasMessageContaining("unknown option 'weight'");
    assertThatThrownBy(() -> clip.create(RewardSpec.builder("clip").option("weights", dir.resolve("no.safetensors")
        .toString()).build())).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> new HpsRewardProvider().create(RewardSpec.builder("hpsv2").build()))
        .hasMessageContaining("weights");
  }

  @Test
  void tokenizerIsLookedUpBesideTheWeights(@TempDir Path dir) throws IOException {
    Path w = dir.resolve("model.safetensors");
    Files.copy(TINY_WEIGHTS, w);
    assertThatThrownBy(() -> new ClipRewardProvider().create(RewardSpec.builder("clip").option("weights", w.toString())
        .build())).hasMessageContaining("no CLIP tokenizer at").hasMessageContaining("vocab.json and merges.txt");
    Files.copy(VOCAB, dir.resolve("bpe_simple_vocab_16e6.txt.gz"));
    assertThat(ClipTokenizer.locate(dir).encodeWithSpecials("a cat")).containsExactly(49406, 320, 2368, 49407);
    // Found now; the tiny fixture's weights then fail to fit ViT-B/32, naming the mismatches.
    assertThatThrownBy(() -> new ClipRewardProvider().create(RewardSpec.builder("clip").option("weights", w.toString())
        .option("precision", "bf16").build()))
        .hasMessageContaining("CLIP weights do not fit").hasMessageContaining("visual.conv1.weight (model [768, 3, 32, 32], "
            + "file [64, 3, 8, 8])");
  }
}
