package io.github.argrpo.models.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.condition.TextFeatures;
import io.github.argrpo.core.runtime.NativeRuntime;

/**
 * The two caption layouts, worked by hand on 5 positions of width 1 with T5 rows r0..r4 of which
 * 2 are valid: LlamaGen's left padding gives {@code [0, 0, 0, r0, r1]} with mask {@code FFFTT};
 * AR-GRPO's right padding gives {@code [r0, r1, r2, r3, r4]} with mask {@code TTFFF}.
 */
class TextPaddingTest {

  private static final float[] T5_ROWS = {10, 11, 12, 13, 14};

  @Test
  void leftAndRightLayoutsByHand() {
    TextFeatures left = TextPadding.LEFT.arrange(T5_ROWS, 0, 5, 5, 1, 2);
    assertThat(left.values()).containsExactly(0, 0, 0, 10, 11);
    assertThat(left.mask()).containsExactly(false, false, false, true, true);
    TextFeatures right = TextPadding.RIGHT.arrange(T5_ROWS, 0, 5, 5, 1, 2);
    assertThat(right.values()).containsExactly(10, 11, 12, 13, 14);
    assertThat(right.mask()).containsExactly(true, true, false, false, false);
    // left needs only the valid rows (the encoder may stop at the longest prompt); right needs all
    assertThat(TextPadding.LEFT.arrange(new float[] {10, 11}, 0, 2, 5, 1, 2).values()).containsExactly(0, 0, 0, 10, 11);
    assertThatThrownBy(() -> TextPadding.RIGHT.arrange(new float[] {10, 11}, 0, 2, 5, 1, 2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void masksAreCheckedAgainstTheLayoutAndConfigNamesParse() {
    boolean[] leftMask = {false, false, true};
    boolean[] rightMask = {true, false, false};
    TextPadding.LEFT.checkMask(leftMask, "x");
    TextPadding.RIGHT.checkMask(rightMask, "x");
    assertThatThrownBy(() -> TextPadding.RIGHT.checkMask(leftMask, "entry 3")).hasMessageContaining("entry 3")
        .hasMessageContaining("not right padding").hasMessageContaining("position 0");
    assertThatThrownBy(() -> TextPadding.LEFT.checkMask(rightMask, "x")).hasMessageContaining("not left padding");
    assertThatThrownBy(() -> TextPadding.LEFT.checkMask(new boolean[3], "x")).hasMessageContaining("no valid token");
    assertThat(TextPadding.parse("Right")).isEqualTo(TextPadding.RIGHT);
    assertThat(TextPadding.parse("left")).isEqualTo(TextPadding.LEFT);
    assertThatThrownBy(() -> TextPadding.parse("middle")).hasMessageContaining("left (LlamaGen's) or right (AR-GRPO's)");
  }

  @Test
  void aRightPaddedStoreKeepsItsPaddingRowsAndSaysItsLayout(@TempDir Path dir) throws IOException {
    NativeRuntime.init();
    Path file = dir.resolve("right.t5.safetensors");
    TextFeatures right = TextPadding.RIGHT.arrange(T5_ROWS, 0, 5, 5, 1, 2);
    PrecomputedTextFeatures.write(file, List.of("a cat"), List.of(right), false, TextPadding.RIGHT);
    try (PrecomputedTextFeatures store = PrecomputedTextFeatures.open(file)) {
      assertThat(store.padding()).isEqualTo(TextPadding.RIGHT);
      // AR-GRPO feeds T5's padding outputs: not zeroed on read
      assertThat(store.encode("a cat").values()).containsExactly(10, 11, 12, 13, 14);
      assertThat(store.encode("a cat").mask()).containsExactly(true, true, false, false, false);
    }
    TextFeatures left = TextPadding.LEFT.arrange(T5_ROWS, 0, 5, 5, 1, 2);
    assertThatThrownBy(() -> PrecomputedTextFeatures.write(dir.resolve("bad.safetensors"), List.of("a cat"), List.of(left),
        false, TextPadding.RIGHT)).hasMessageContaining("not right padding");
    Path leftFile = dir.resolve("left.t5.safetensors");
    PrecomputedTextFeatures.write(leftFile, List.of("a cat"), List.of(left), false);
    try (PrecomputedTextFeatures store = PrecomputedTextFeatures.open(leftFile)) {
      assertThat(store.padding()).isEqualTo(TextPadding.LEFT);
    }
  }
}
