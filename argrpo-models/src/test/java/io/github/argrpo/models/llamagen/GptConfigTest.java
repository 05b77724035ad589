package io.github.argrpo.models.llamagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.junit.jupiter.api.Test;

class GptConfigTest {

  @Test
  void presetsHaveTheReferenceShapesAndParameterCounts() {
    // llamagen.md 1.2: c2i parameter counts with 16384 codes and a 1001-row class table
    check("GPT-B", 12, 12, 768, 64, 2048, 110_888_448L);
    check("GPT-L", 24, 16, 1024, 64, 2816, 342_910_976L);
    check("GPT-XL", 36, 20, 1280, 64, 3584, 774_699_520L);
    check("GPT-XXL", 48, 24, 1536, 64, 4096, 1_410_972_672L);
    check("GPT-XXXL", 48, 40, 2560, 64, 6912, 3_893_027_840L);
    check("GPT-1B", 22, 32, 2048, 64, 5632, 1_199_616_000L);
    check("GPT-3B", 24, 32, 3200, 100, 8704, 3_096_659_200L);
    check("GPT-7B", 32, 32, 4096, 128, 11008, 6_614_589_440L);
  }

  private static void check(String name, int layers, int heads, int dim, int headDim, int ffn, long params) {
    GptConfig c = GptConfig.preset(name);
    assertThat(c.nLayer()).as(name + " layers").isEqualTo(layers);
    assertThat(c.nHead()).as(name + " heads").isEqualTo(heads);
    assertThat(c.dim()).as(name + " dim").isEqualTo(dim);
    assertThat(c.headDim()).as(name + " head_dim").isEqualTo(headDim);
    assertThat(c.ffnHidden()).as(name + " ffn hidden").isEqualTo(ffn);
    assertThat(c.parameterCount()).as(name + " parameters").isEqualTo(params);
    assertThat(c.classTableRows()).isEqualTo(1001);
  }

  @Test
  void textToImageXlCountsTheCaptionProjection() {
    GptConfig t2i = GptConfig.gptXL().toBuilder().t2i().build();
    assertThat(t2i.clsTokenNum()).isEqualTo(120);
    assertThat(t2i.parameterCount()).isEqualTo(777_678_080L);
  }

  @Test
  void presetNamesAreForgiving() {
    assertThat(GptConfig.preset("b")).isEqualTo(GptConfig.gptB());
    assertThat(GptConfig.preset("gpt-3b")).isEqualTo(GptConfig.gpt3B());
    assertThatThrownBy(() -> GptConfig.preset("GPT-Z")).hasMessageContaining("unknown GPT preset 'GPT-Z'")
        .hasMessageContaining("GPT-XL");
  }

  @Test
  void invalidConfigsAreRejectedWithTheValue() {
    assertThatThrownBy(() -> GptConfig.builder().blockSize(250).build())
        .hasMessageContaining("perfect square").hasMessageContaining("250");
    assertThatThrownBy(() -> GptConfig.builder().dim(770).build()).hasMessageContaining("divisible");
    assertThatThrownBy(() -> GptConfig.builder().dim(120).nHead(12).build()).hasMessageContaining("multiple of 4");
    assertThatThrownBy(() -> GptConfig.builder().clsTokenNum(2).build()).hasMessageContaining("exactly 1");
    assertThatThrownBy(() -> GptConfig.builder().t2i().clsTokenNum(121).build()).hasMessageContaining("121");
    assertThatThrownBy(() -> GptConfig.builder().classDropoutProb(1.0).build()).hasMessageContaining("classDropoutProb");
  }

  @Test
  void ffnHiddenIsTheReferenceRoundingForAnyWidth() {
    qt().forAll(integers().between(1, 4096), integers().between(1, 512)).checkAssert((dim, multiple) -> {
      GptConfig c = GptConfig.builder().dim(dim * 4).nHead(1).multipleOf(multiple).build();
      int base = (int) (2.0 * (4 * c.dim()) / 3.0);
      int h = c.ffnHidden();
      assertThat(h % multiple).isZero();
      assertThat(h).isGreaterThanOrEqualTo(base).isLessThan(base + multiple);
    });
  }

  @Test
  void builderRoundTrips() {
    GptConfig c = GptConfig.gptL().toBuilder().t2i().blockSize(1024).captionDim(16).build();
    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThat(c.gridSize()).isEqualTo(32);
    assertThat(c.maxPositions()).isEqualTo(120 + 1024);
  }
}
