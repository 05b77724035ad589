package io.github.argrpo.examples.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.condition.TextCondition;
import io.github.argrpo.core.condition.TextEncoder;
import io.github.argrpo.core.condition.TextFeatures;
import io.github.argrpo.core.config.ConfigException;

class RunConfigTest {

  @TempDir
  Path dir;

  private Path write(String yaml) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, yaml, StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void blockSizeFollowsImageSizeAndVqDownsampling() throws Exception {
    Path f = write("model: {gpt: {preset: L, image_size: 512}, weights: w.pt}\nvq: {preset: VQ-8, weights: v.pt}\n");
    RunConfig c = RunConfig.load(f.toString(), List.of(), false);
    assertThat(c.model().gpt().blockSize()).isEqualTo(64 * 64);
    assertThat(c.model().gpt().vocabSize()).isEqualTo(16384);
    assertThat(c.conditions().classes()).isEqualTo(1000);
    assertThat(c.rewards()).isNull();
    assertThat(c.trainer().steps()).isEqualTo(400);
    assertThat(c.resolvedYaml()).contains("image_size: 512");
  }

  @Test
  void mismatchedSectionsAreNamed() throws Exception {
    Path f = write("model: {gpt: {preset: B, type: t2i}, weights: w.pt}\nvq: {weights: v.pt}\nconditions: {classes: 10}\n");
    assertThatThrownBy(() -> RunConfig.load(f.toString(), List.of(), false)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("conditions.classes is for class-to-image");
    assertThatThrownBy(() -> RunConfig.load(f.toString(), List.of("conditions={prompts: p.txt}"), false))
        .hasMessageContaining("conditions.features");
    assertThatThrownBy(() -> RunConfig.load(f.toString(), List.of("model.gpt.image_size=250", "conditions={}"), false))
        .hasMessageContaining("model.gpt.image_size must be a positive multiple of the VQ downsample factor 16, got 250");
    assertThatThrownBy(() -> RunConfig.load(f.toString(), List.of("model.weights=", "conditions={}"), false))
        .hasMessageContaining("model.weights");
    assertThatThrownBy(() -> RunConfig.load(f.toString(), List.of("model.gpt.type=c2i", "conditions={}"), true))
        .hasMessageContaining("rewards is required");
  }

  @Test
  void promptDrawsAreReproducibleAndCoverTheSetBeforeRepeating() {
    TextEncoder enc = new TextEncoder() {
      @Override
      public int tokens() {
        return 2;
      }

      @Override
      public int dim() {
        return 1;
      }

      @Override
      public TextFeatures encode(String prompt) {
        return new TextFeatures(new float[] {0, prompt.length()}, 2, 1, new boolean[] {false, true});
      }
    };
    List<String> prompts = List.of("a", "bb", "ccc", "dddd", "eeeee");
    PromptConditions src = new PromptConditions(prompts, enc);
    List<Condition> d1 = src.draw(5, 42);
    assertThat(d1).isEqualTo(src.draw(5, 42));
    assertThat(d1.stream().map(c -> ((TextCondition) c).prompt())).containsExactlyInAnyOrderElementsOf(prompts);
    TextCondition first = (TextCondition) d1.get(0);
    assertThat(first.features().values()[1]).isEqualTo(first.prompt().length());
    assertThat(src.draw(12, 1)).hasSize(12);
  }
}
