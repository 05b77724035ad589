package io.github.argrpo.models.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.assertj.core.api.Assertions;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.condition.TextFeatures;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.models.testing.TextFeatureAsserts;
import io.github.argrpo.models.testing.TinyT5;
import io.github.argrpo.models.text.t5.T5Config;
import io.github.argrpo.models.text.t5.T5Encoder;
import io.github.argrpo.models.text.t5.T5Tokenizer;

/** The whole native text path on a tiny T5 with a real SentencePiece model. */
class T5TextEncoderTest {

  private static final int TOKENS = 120;
  private static final int DIM = 8;

  @TempDir
  static Path dir;

  static Path folder;

  @BeforeAll
  static void writeModel() throws IOException {
    NativeRuntime.init();
    folder = TinyT5.writeFolder(dir.resolve("tiny-t5"), DIM, 11);
  }

  /** T5's right-padded output of the cleaned prompt at all 120 positions, and its valid count. */
  private record Raw(float[] hidden, int valid) {}

  /** The reference pipeline up to the encoder: clean twice, tokenize, encode all 120 positions. */
  private static Raw encodeByHand(String prompt) throws IOException {
    String text = CaptionCleaner.clean(CaptionCleaner.clean(prompt));
    T5Tokenizer.Encoding e = T5Tokenizer.open(folder).encode(text, TOKENS);
    long[] ids = new long[TOKENS];
    long[] mask = new long[TOKENS];
    int valid = 0;
    for (int k = 0; k < TOKENS; k++) {
      ids[k] = e.ids()[k];
      mask[k] = e.mask()[k] ? 1 : 0;
      valid += e.mask()[k] ? 1 : 0;
    }
    float[] h = new float[TOKENS * DIM];
    T5Encoder enc = T5Encoder.load(folder, ScalarType.Float);
    try (PointerScope s = new PointerScope()) {
      Tensor out = enc.forward(Tensor.create(ids, 1, TOKENS), Tensor.create(mask, 1, TOKENS)).contiguous();
      new FloatPointer(out.data_ptr_float()).get(h);
    } finally {
      enc.close();
    }
    return new Raw(h, valid);
  }

  /** LlamaGen's sampling path: rotate the valid rows to the end, zero the rest. */
  private static TextFeatures byHand(String prompt) throws IOException {
    Raw r = encodeByHand(prompt);
    int valid = r.valid();
    float[] v = new float[TOKENS * DIM];
    boolean[] m = new boolean[TOKENS];
    for (int k = 0; k < valid; k++) {
      // LlamaGen: cat([emb[valid:], emb[:valid]]) * flip(mask): token k lands at TOKENS - valid + k
      System.arraycopy(r.hidden(), k * DIM, v, (TOKENS - valid + k) * DIM, DIM);
      m[TOKENS - valid + k] = true;
    }
    return new TextFeatures(v, TOKENS, DIM, m);
  }

  @Test
  void rightPaddingIsArGrpoLayoutTheEncoderOutputAsIs() throws IOException {
    String prompt = "A <b>red</b> bicycle leaning on a wall, www.example.com";
    Raw raw = encodeByHand(prompt);
    int n = raw.valid();
    // AR-GRPO's T5Embedder.text_embedding: last_hidden_state and the tokenizer's attention mask, unchanged
    boolean[] arGrpoMask = new boolean[TOKENS];
    for (int k = 0; k < n; k++) {
      arGrpoMask[k] = true;
    }
    try (T5TextEncoder right = T5TextEncoder.open(folder, Precision.FP32, DeviceSpec.CPU, TextPadding.RIGHT);
        T5TextEncoder left = T5TextEncoder.open(folder, Precision.FP32, DeviceSpec.CPU)) {
      assertThat(right.padding()).isEqualTo(TextPadding.RIGHT);
      assertThat(left.padding()).isEqualTo(TextPadding.LEFT);
      TextFeatures r = right.encode(prompt);
      assertClose(r, new TextFeatures(raw.hidden(), TOKENS, DIM, arGrpoMask));
      // the padding rows are T5's outputs there, not zeros
      float[] v = r.values();
      assertThat(Math.abs(v[(TOKENS - 1) * DIM])).isGreaterThan(0f);
      // the two layouts hold the same valid rows in different places
      TextFeatures l = left.encode(prompt);
      assertThat(l.mask()).isNotEqualTo(r.mask());
      float[] lv = l.values();
      for (int k = 0; k < n * DIM; k++) {
        assertThat(v[k]).isCloseTo(lv[(TOKENS - n) * DIM + k], Assertions.within(1e-5f));
      }
    }
  }

  private static void assertClose(TextFeatures a, TextFeatures b) {
    TextFeatureAsserts.assertClose(a, b, 1e-5f);
  }

  @Test
  void featuresAreLlamaGensLeftPaddedEncoderOutput() throws IOException {
    String prompt = "A <b>red</b> bicycle leaning on a wall, www.example.com";
    try (T5TextEncoder t5 = T5TextEncoder.open(folder, Precision.FP32, DeviceSpec.CPU)) {
      assertThat(t5.tokens()).isEqualTo(TOKENS);
      assertThat(t5.dim()).isEqualTo(DIM);
      assertThat(t5.cleaned(prompt)).isEqualTo("a red bicycle leaning on a wall");
      TextFeatures f = t5.encode(prompt);
      assertClose(f, byHand(prompt));
      int valid = f.validTokens();
      assertThat(valid).isBetween(2, 40); // some pieces and </s>
      float[] v = f.values();
      for (int i = 0; i < (TOKENS - valid) * DIM; i++) {
        assertThat(v[i]).isZero();
      }
    }
  }

  @Test
  void promptsThatCleanAlikeEncodeAlikeAndBatchesDoNotMix() throws IOException {
    List<String> prompts = List.of("Two   CATS on a sofa", "two cats on a sofa", "an astronaut riding a horse", "x");
    try (T5TextEncoder t5 = T5TextEncoder.open(folder, Precision.FP32, DeviceSpec.CPU, TOKENS, 2, 3)) {
      List<TextFeatures> batch = t5.encode(prompts);
      assertThat(batch).hasSize(4);
      assertClose(batch.get(0), batch.get(1));
      for (int i = 0; i < prompts.size(); i++) {
        assertClose(batch.get(i), t5.encode(prompts.get(i)));
      }
    }
  }

  @Test
  void longPromptsFillAllPositionsAndBf16StaysClose() throws IOException {
    String longPrompt = "a very long caption about many things ".repeat(40);
    try (T5TextEncoder fp32 = T5TextEncoder.open(folder, Precision.FP32, DeviceSpec.CPU);
        T5TextEncoder bf16 = T5TextEncoder.open(folder, Precision.BF16, DeviceSpec.CPU)) {
      TextFeatures a = fp32.encode(longPrompt);
      assertThat(a.validTokens()).isEqualTo(TOKENS);
      TextFeatures b = bf16.encode(longPrompt);
      assertThat(b.mask()).isEqualTo(a.mask());
      float[] x = a.values();
      float[] y = b.values();
      for (int i = 0; i < x.length; i++) {
        assertThat(Math.abs(x[i] - y[i])).as("value %d", i).isLessThan(0.1f + 0.03f * Math.abs(x[i]));
      }
    }
  }

  @Test
  void aStoreWrittenFromTheEncoderReadsBackTheSameFeatures() throws IOException {
    List<String> prompts = List.of("a red cube", "a green cone on a table");
    Path store = dir.resolve("prompts.t5.safetensors");
    try (T5TextEncoder t5 = T5TextEncoder.open(folder, Precision.FP32, DeviceSpec.CPU)) {
      try (PrecomputedTextFeatures.Writer w = PrecomputedTextFeatures.writer(store, prompts, TOKENS, DIM, false)) {
        for (TextFeatures f : t5.encode(prompts)) {
          w.append(f);
        }
        w.commit();
      }
      try (PrecomputedTextFeatures s = PrecomputedTextFeatures.open(store)) {
        List<TextFeatures> direct = t5.encode(prompts);
        for (int i = 0; i < prompts.size(); i++) {
          // the same batch gives the same numbers; a prompt alone may differ in float rounding
          assertThat(s.encode(prompts.get(i))).isEqualTo(direct.get(i));
          assertClose(s.encode(prompts.get(i)), t5.encode(prompts.get(i)));
        }
      }
    }
  }

  @Test
  void badFoldersAndMismatchedPartsAreClearErrors() throws IOException {
    assertThatThrownBy(() -> T5TextEncoder.open(dir.resolve("nope"), Precision.BF16, DeviceSpec.CPU))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist")
        .hasMessageContaining("flan-t5-xl");
    T5Tokenizer tok = T5Tokenizer.open(folder);
    T5Encoder small = T5Encoder.create(T5Config.tiny(T5Config.FeedForwardProj.GATED_GELU), ScalarType.Float);
    try {
      assertThatThrownBy(() -> T5TextEncoder.of(tok, small, TOKENS, 2, 8)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not of the same T5");
    } finally {
      small.close();
    }
    Path noTokenizer = Files.createDirectories(dir.resolve("no-spiece"));
    Files.copy(folder.resolve("config.json"), noTokenizer.resolve("config.json"));
    assertThatThrownBy(() -> T5TextEncoder.open(noTokenizer, Precision.BF16, DeviceSpec.CPU))
        .hasMessageContaining("spiece.model");
  }

  @Test
  void aClosedEncoderRefusesWork() throws IOException {
    T5TextEncoder t5 = T5TextEncoder.open(folder, Precision.FP32, DeviceSpec.CPU);
    t5.close();
    assertThatThrownBy(() -> t5.encode("a cat")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }
}
