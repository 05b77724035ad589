package io.github.argrpo.models.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.assertj.core.data.Offset;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.condition.TextCondition;
import io.github.argrpo.core.condition.TextFeatures;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.weights.SafetensorsWriter;

class PrecomputedTextFeaturesTest {

  @TempDir
  Path dir;

  static TextFeatures leftPadded(int tokens, int dim, int valid, long seed) {
    Random r = new Random(seed);
    float[] v = new float[tokens * dim];
    boolean[] m = new boolean[tokens];
    for (int k = 0; k < tokens; k++) {
      m[k] = k >= tokens - valid;
      for (int d = 0; d < dim; d++) {
        v[k * dim + d] = m[k] ? (float) r.nextGaussian() : 0f;
      }
    }
    return new TextFeatures(v, tokens, dim, m);
  }

  @Test
  void roundTripsFeaturesAndLooksUpByPrompt() throws IOException {
    List<String> prompts = List.of("a red bicycle", "two cats on a sofa", "a red bicycle");
    List<TextFeatures> feats = List.of(leftPadded(12, 8, 3, 1), leftPadded(12, 8, 12, 2), leftPadded(12, 8, 1, 3));
    Path f = dir.resolve("p.safetensors");
    PrecomputedTextFeatures.write(f, prompts, feats, false);
    try (PrecomputedTextFeatures s = PrecomputedTextFeatures.open(f)) {
      assertThat(s.size()).isEqualTo(3);
      assertThat(s.tokens()).isEqualTo(12);
      assertThat(s.dim()).isEqualTo(8);
      assertThat(s.prompts()).isEqualTo(prompts);
      assertThat(s.encode("two cats on a sofa")).isEqualTo(feats.get(1));
      // a repeated prompt resolves to its first entry
      assertThat(s.encode("a red bicycle")).isEqualTo(feats.get(0));
      assertThat(s.features(2)).isEqualTo(feats.get(2));
      TextCondition c = s.condition("two cats on a sofa");
      assertThat(c.features().validTokens()).isEqualTo(12);
      assertThatThrownBy(() -> s.encode("a dog")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no entry for prompt 'a dog'").hasMessageContaining("3 prompts");
    }
  }

  @Test
  void bf16StoreKeepsMaskAndRoundsValues() throws IOException {
    TextFeatures t = leftPadded(6, 4, 2, 9);
    Path f = dir.resolve("b.safetensors");
    PrecomputedTextFeatures.write(f, List.of("x"), List.of(t), true);
    try (PrecomputedTextFeatures s = PrecomputedTextFeatures.open(f)) {
      TextFeatures back = s.encode("x");
      assertThat(back.mask()).isEqualTo(t.mask());
      float[] a = t.values();
      float[] b = back.values();
      for (int i = 0; i < a.length; i++) {
        assertThat(b[i]).isCloseTo(a[i], Offset.offset(Math.abs(a[i]) / 128 + 1e-6f));
      }
    }
  }

  @Test
  void anyLeftPaddingRoundTripsExactly() {
    qt().withExamples(15).forAll(integers().between(1, 10), integers().between(1, 5), integers().between(0, 1000))
        .assuming((tokens, dim, seed) -> true)
        .checkAssert((tokens, dim, seed) -> {
          int valid = 1 + Math.floorMod(seed, tokens);
          TextFeatures t = leftPadded(tokens, dim, valid, seed);
          Path f = dir.resolve("q" + tokens + "_" + dim + "_" + seed + ".safetensors");
          try {
            PrecomputedTextFeatures.write(f, List.of("p" + seed), List.of(t), false);
            try (PrecomputedTextFeatures s = PrecomputedTextFeatures.open(f)) {
              assertThat(s.encode("p" + seed)).isEqualTo(t);
              assertThat(s.encode("p" + seed).validTokens()).isEqualTo(valid);
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  @Test
  void zeroesPaddingFeaturesAFileCarries() throws IOException {
    NativeRuntime.init();
    Path f = dir.resolve("raw.safetensors");
    try (PointerScope scope = new PointerScope()) {
      Map<String, Tensor> t = new LinkedHashMap<>();
      t.put("features.0", Tensor.create(new float[] {5, 5, 1, 2}, 2, 2));
      t.put("mask.0", Tensor.create(new long[] {0, 1}, 2));
      SafetensorsWriter.write(f, t, Map.of("format", PrecomputedTextFeatures.FORMAT, "prompts", "[\"p\"]"));
    }
    try (PrecomputedTextFeatures s = PrecomputedTextFeatures.open(f)) {
      assertThat(s.encode("p").values()).containsExactly(0f, 0f, 1f, 2f);
    }
  }

  @Test
  void rejectsRightPaddingAndEmptyMasks() throws IOException {
    float[] v = new float[4 * 2];
    assertThatThrownBy(() -> PrecomputedTextFeatures.write(dir.resolve("r.safetensors"), List.of("p"),
        List.of(new TextFeatures(v, 4, 2, new boolean[] {true, true, false, false})), false))
        .hasMessageContaining("not left padding");
    assertThatThrownBy(() -> PrecomputedTextFeatures.write(dir.resolve("e.safetensors"), List.of("p"),
        List.of(new TextFeatures(v, 4, 2, new boolean[4])), false))
        .hasMessageContaining("no valid token");
  }

  @Test
  void rejectsFilesThatAreNotStores() throws IOException {
    NativeRuntime.init();
    Path plain = dir.resolve("plain.safetensors");
    Path noMask = dir.resolve("nomask.safetensors");
    try (PointerScope scope = new PointerScope()) {
      SafetensorsWriter.write(plain, Map.of("w", Tensor.create(new float[] {1}, 1)));
      SafetensorsWriter.write(noMask, Map.of("features.0", Tensor.create(new float[] {1, 2}, 1, 2)),
          Map.of("format", PrecomputedTextFeatures.FORMAT, "prompts", "[\"p\"]"));
    }
    assertThatThrownBy(() -> PrecomputedTextFeatures.open(plain)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected metadata format 'argrpo-text-features/1', got none");
    assertThatThrownBy(() -> PrecomputedTextFeatures.open(noMask)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing tensor 'mask.0'");
    assertThatThrownBy(() -> PrecomputedTextFeatures.open(dir.resolve("absent.safetensors")))
        .isInstanceOf(NoSuchFileException.class).hasMessageContaining("absent.safetensors");
    assertThat(Files.exists(dir.resolve("absent.safetensors"))).isFalse();
  }

  @Test
  void writerFillsTheStorePromptByPromptAndCommitsOnlyWhenComplete() throws IOException {
    List<String> prompts = List.of("one", "two", "three");
    Path f = dir.resolve("w.safetensors");
    try (PrecomputedTextFeatures.Writer w = PrecomputedTextFeatures.writer(f, prompts, 10, 4, true)) {
      w.append(leftPadded(10, 4, 2, 1));
      assertThatThrownBy(() -> w.append(leftPadded(9, 4, 2, 1))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("10 x 4");
      assertThatThrownBy(w::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("only 1 of 3");
    }
    assertThat(Files.exists(f)).isFalse();
    List<TextFeatures> feats = List.of(leftPadded(10, 4, 2, 1), leftPadded(10, 4, 10, 2), leftPadded(10, 4, 5, 3));
    try (PrecomputedTextFeatures.Writer w = PrecomputedTextFeatures.writer(f, prompts, 10, 4, false)) {
      for (TextFeatures t : feats) {
        w.append(t);
      }
      assertThat(w.written()).isEqualTo(3);
      w.commit();
    }
    try (PrecomputedTextFeatures s = PrecomputedTextFeatures.open(f)) {
      assertThat(s.prompts()).isEqualTo(prompts);
      for (int i = 0; i < 3; i++) {
        assertThat(s.features(i)).isEqualTo(feats.get(i));
      }
    }
  }
}
