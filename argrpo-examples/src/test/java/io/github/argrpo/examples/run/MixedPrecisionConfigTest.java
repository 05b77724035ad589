package io.github.argrpo.examples.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.runtime.Precision;

/** {@code model.precision: bf16-mixed}: fp32 weights for the GPT (and the VQ), bf16 autocast over the GPT's passes. */
class MixedPrecisionConfigTest {

  @TempDir Path dir;

  private RunConfig load(String precision) throws Exception {
    Path f = dir.resolve("c2i.yaml");
    Files.writeString(f, "model: {gpt: {preset: B}, weights: w.pt, precision: " + precision + "}\nvq: {weights: v.pt}\n");
    return RunConfig.load(f.toString(), List.of(), false);
  }

  @Test
  void bf16MixedKeepsFp32WeightsAndTurnsOnTheAutocast() throws Exception {
    RunConfig mixed = load("bf16-mixed");
    assertThat(mixed.model().precision()).isEqualTo(Precision.FP32);
    assertThat(mixed.model().gpt().precision()).isEqualTo(Precision.FP32);
    assertThat(mixed.model().gpt().bf16Autocast()).isTrue();
    RunConfig pure = load("bf16");
    assertThat(pure.model().gpt().precision()).isEqualTo(Precision.BF16);
    assertThat(pure.model().gpt().bf16Autocast()).isFalse();
    assertThat(load("fp32").model().gpt().bf16Autocast()).isFalse();
  }

  @Test
  void anUnknownPrecisionNamesTheThreeValues() {
    assertThatThrownBy(() -> load("fp16-mixed")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("model.precision must be fp32, bf16 or bf16-mixed, got 'fp16-mixed'");
  }
}
