package io.github.argrpo.examples.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.condition.TextFeatures;
import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.models.text.PrecomputedTextFeatures;
import io.github.argrpo.models.text.TextPadding;

/** {@code conditions.padding}: LlamaGen's left padding by default, AR-GRPO's right padding on request. */
class ConditionPaddingTest {

  @TempDir Path dir;

  private Path config(String conditions) throws Exception {
    Path f = dir.resolve("t2i.yaml");
    Files.writeString(f, "model: {gpt: {preset: XL, type: t2i, image_size: 256}, weights: w.pt}\nvq: {weights: v.pt}\n"
        + "conditions: " + conditions + "\n", StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void leftByDefaultRightOnRequestAndOtherValuesNamed() throws Exception {
    Path f = config("{prompts: p.txt, t5: models/flan-t5-xl}");
    assertThat(RunConfig.load(f.toString(), List.of(), false).conditions().padding()).isEqualTo(TextPadding.LEFT);
    assertThat(RunConfig.load(f.toString(), List.of("conditions.padding=right"), false).conditions().padding())
        .isEqualTo(TextPadding.RIGHT);
    assertThatThrownBy(() -> RunConfig.load(f.toString(), List.of("conditions.padding=center"), false))
        .isInstanceOf(ConfigException.class).hasMessageContaining("conditions.padding")
        .hasMessageContaining("left (LlamaGen's) or right (AR-GRPO's)");
    Path c2i = dir.resolve("c2i.yaml");
    Files.writeString(c2i, "model: {gpt: {preset: B}, weights: w.pt}\nvq: {weights: v.pt}\nconditions: {padding: right}\n");
    assertThatThrownBy(() -> RunConfig.load(c2i.toString(), List.of(), false)).hasMessageContaining("padding");
  }

  @Test
  void aStoreOfTheOtherLayoutIsRefusedNamingTheFix() throws Exception {
    NativeRuntime.init();
    Path prompts = dir.resolve("p.txt");
    Files.writeString(prompts, "a cat\n");
    Path store = dir.resolve("p.t5.safetensors");
    int tokens = 120;
    int dim = 2048;
    boolean[] mask = new boolean[tokens];
    mask[tokens - 1] = true;
    PrecomputedTextFeatures.write(store, List.of("a cat"), List.of(new TextFeatures(new float[tokens * dim], tokens, dim,
        mask)), true);
    Path f = config("{prompts: " + prompts + ", features: " + store + ", padding: right}");
    RunConfig c = RunConfig.load(f.toString(), List.of(), false);
    assertThatThrownBy(() -> LoadedModels.load(c).close()).isInstanceOf(ConfigException.class)
        .hasMessageContaining("holds left-padded features but conditions.padding is right")
        .hasMessageContaining("encode-text --padding right");
  }
}
