package io.github.argrpo.models.text.t5;

import static io.github.argrpo.models.llamagen.TensorAsserts.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.weights.SafetensorsFile;
import io.github.argrpo.weights.SafetensorsWriter;
import io.github.argrpo.weights.StateDictMismatchException;

/**
 * The Java encoder against the independent Python reference of make_t5_encoder_fixture.py (float64
 * and bf16), plus properties that need no reference: padding, batch independence, loading variants.
 */
class T5EncoderParityTest {

  private static SafetensorsFile cases;
  private static T5Encoder gated;

  @TempDir Path tmp;

  @BeforeAll
  static void load() throws IOException {
    NativeRuntime.init();
    cases = SafetensorsFile.open(T5Fixtures.cases());
    gated = T5Encoder.load(T5Fixtures.gated(), ScalarType.Float);
  }

  @AfterAll
  static void close() {
    cases.close();
  }

  @Test
  void gatedGeluMatchesTheFloat64Reference() {
    try (PointerScope s = new PointerScope()) {
      Tensor out = gated.forward(cases.read("gated.input_ids"), cases.read("gated.attention_mask"));
      assertThat(out.scalar_type().value).isEqualTo(ScalarType.Float.value);
      // all positions, padded queries included: their outputs are the reference's too
      assertClose("gated fp32", out, cases.read("gated.expected"), 1e-5, 1e-5);
    }
  }

  @Test
  void reluFromPytorchModelBinMatchesTheFloat64Reference() throws IOException {
    T5Encoder relu = T5Encoder.load(T5Fixtures.relu(), ScalarType.Float);
    assertThat(relu.config().feedForward()).isEqualTo(T5Config.FeedForwardProj.RELU);
    try (PointerScope s = new PointerScope()) {
      Tensor mask = cases.read("relu.attention_mask");
      assertThat(mask.scalar_type().value).isEqualTo(ScalarType.Bool.value);
      Tensor out = relu.forward(cases.read("relu.input_ids"), mask);
      assertClose("relu fp32", out, cases.read("relu.expected"), 1e-5, 1e-5);
    }
  }

  @Test
  void bf16MatchesTheReferenceInBf16() throws IOException {
    T5Encoder bf16 = T5Encoder.load(T5Fixtures.gated(), ScalarType.BFloat16);
    T5Encoder woFp32 = T5Encoder.load(T5Fixtures.gated(), ScalarType.BFloat16, true);
    assertThat(woFp32.woInFp32()).isTrue();
    try (PointerScope s = new PointerScope()) {
      Tensor ids = cases.read("gated.input_ids");
      Tensor mask = cases.read("gated.attention_mask");
      Tensor exact = cases.read("gated.expected");
      Tensor a = bf16.forward(ids, mask);
      Tensor b = woFp32.forward(ids, mask);
      assertThat(a.scalar_type().value).isEqualTo(ScalarType.BFloat16.value);
      assertThat(b.scalar_type().value).isEqualTo(ScalarType.BFloat16.value);
      // Same arithmetic as the Python bf16 reference up to kernel rounding (fused vs op-by-op gelu,
      // matmul blocking): a few bf16 ulps (values up to ~4, ulp 1/64 there).
      assertClose("bf16 vs Python bf16", a, cases.read("gated.expected_bf16"), 0.05, 0.02);
      assertClose("bf16 wo-fp32 vs Python", b, cases.read("gated.expected_bf16_wo_fp32"), 0.05, 0.02);
      // and both near the exact value
      assertClose("bf16 vs float64", a, exact, 0.15, 0.05);
      assertClose("bf16 wo-fp32 vs float64", b, exact, 0.15, 0.05);
    }
  }

  /** Keys at padded positions are masked: valid outputs equal those of the shorter, unpadded input. */
  @Test
  void paddingDoesNotChangeValidPositions() {
    try (PointerScope s = new PointerScope()) {
      Tensor ids = cases.read("gated.input_ids");
      Tensor mask = cases.read("gated.attention_mask");
      Tensor batch = gated.forward(ids, mask);
      Tensor shortIds = ids.narrow(0, 1, 1).narrow(1, 0, 70);
      Tensor alone = gated.forward(shortIds, null);
      assertClose("padded row vs unpadded", batch.narrow(0, 1, 1).narrow(1, 0, 70), alone, 2e-5, 1e-5);
      // the mask matters: without it the padding tokens are attended and row 1 changes
      Tensor unmasked = gated.forward(ids, null);
      double diff = unmasked.narrow(0, 1, 1).narrow(1, 0, 70).sub(alone).abs().max().item_double();
      assertThat(diff).isGreaterThan(0.01);
      // other padding values do not matter either
      Tensor otherPad = ids.clone();
      otherPad.narrow(0, 1, 1).narrow(1, 70, 60).fill_(new Scalar(42));
      assertClose("other pad ids", gated.forward(otherPad, mask).narrow(1, 0, 70).narrow(0, 1, 1),
          batch.narrow(1, 0, 70).narrow(0, 1, 1), 1e-6, 0);
    }
  }

  @Test
  void rowsAreIndependentOfTheirBatch() {
    try (PointerScope s = new PointerScope()) {
      Tensor ids = cases.read("gated.input_ids");
      Tensor mask = cases.read("gated.attention_mask");
      Tensor batch = gated.forward(ids, mask);
      for (int r = 0; r < 2; r++) {
        Tensor one = gated.forward(ids.narrow(0, r, 1), mask.narrow(0, r, 1));
        assertClose("row " + r, one, batch.narrow(0, r, 1), 2e-5, 1e-5);
      }
      Tensor swapped = gated.forward(ids.flip(0), mask.flip(0));
      assertClose("swapped", swapped.flip(0), batch, 2e-5, 1e-5);
    }
  }

  @Test
  void repeatedForwardsDoNotGrowNativeMemory() {
    Runnable call = () -> {
      try (PointerScope s = new PointerScope()) {
        gated.forward(cases.read("gated.input_ids"), cases.read("gated.attention_mask"));
      }
    };
    for (int i = 0; i < 5; i++) {
      call.run();
    }
    long before = Pointer.physicalBytes();
    for (int i = 0; i < 200; i++) {
      call.run();
    }
    long grown = Pointer.physicalBytes() - before;
    // one call allocates about 2 MB (a 4 x 130 x 130 bias per row, activations); a leak would add 400 MB
    assertThat(grown).as("resident memory growth over 200 forwards, bytes").isLessThan(48L << 20);
  }

  @Test
  void resultBelongsToTheCallersScope() {
    Tensor out;
    try (PointerScope s = new PointerScope()) {
      out = gated.forward(cases.read("gated.input_ids"), cases.read("gated.attention_mask"));
      assertThat(out.isNull()).isFalse();
      assertThat(out.size(2)).isEqualTo(32);
    }
    assertThat(out.isNull()).as("freed with the caller's scope").isTrue();
  }

  @Test
  void embeddingMayComeFromEncoderEmbedTokens() throws IOException {
    // a file with only encoder.embed_tokens.weight (the other name of the tied embedding)
    Path folder = copyGatedWith(tmp.resolve("alias"), Map.of("shared.weight", "encoder.embed_tokens.weight"));
    T5Encoder alias = T5Encoder.load(folder, ScalarType.Float);
    try (PointerScope s = new PointerScope()) {
      assertClose("alias", alias.forward(cases.read("gated.input_ids"), cases.read("gated.attention_mask")),
          cases.read("gated.expected"), 1e-5, 1e-5);
    }
  }

  @Test
  void shardedSafetensorsLoadTheSameModel() throws IOException {
    Path folder = Files.createDirectories(tmp.resolve("sharded"));
    Files.copy(T5Fixtures.gated().resolve("config.json"), folder.resolve("config.json"));
    StringBuilder map = new StringBuilder();
    try (SafetensorsFile f = SafetensorsFile.open(T5Fixtures.gated().resolve("model.safetensors"));
        PointerScope s = new PointerScope()) {
      Map<String, Tensor> first = new LinkedHashMap<>();
      Map<String, Tensor> second = new LinkedHashMap<>();
      int i = 0;
      for (String k : f.keys()) {
        String shard = (i++ % 2 == 0) ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
        (shard.startsWith("model-00001") ? first : second).put(k, f.read(k));
        map.append(map.length() == 0 ? "" : ",\n").append("    \"").append(k).append("\": \"").append(shard).append('"');
      }
      SafetensorsWriter.write(folder.resolve("model-00001-of-00002.safetensors"), first);
      SafetensorsWriter.write(folder.resolve("model-00002-of-00002.safetensors"), second);
    }
    Files.writeString(folder.resolve("model.safetensors.index.json"),
        "{\n  \"metadata\": {\"total_size\": 1},\n  \"weight_map\": {\n" + map + "\n  }\n}\n");
    T5Encoder sharded = T5Encoder.load(folder, ScalarType.Float);
    try (PointerScope s = new PointerScope()) {
      Tensor ids = cases.read("gated.input_ids");
      Tensor mask = cases.read("gated.attention_mask");
      assertClose("sharded", sharded.forward(ids, mask), gated.forward(ids, mask), 0, 0);
    }
  }

  @Test
  void missingWeightIsNamed() throws IOException {
    Path folder = copyGatedWith(tmp.resolve("missing"),
        Map.of("encoder.block.2.layer.1.DenseReluDense.wi_1.weight", ""));
    assertThatThrownBy(() -> T5Encoder.load(folder, ScalarType.Float))
        .isInstanceOf(StateDictMismatchException.class)
        .hasMessageContaining("missing from the file (1): [encoder.block.2.layer.1.DenseReluDense.wi_1.weight]")
        .satisfies(e -> assertThat(((StateDictMismatchException) e).unexpected()).isEmpty());
  }

  @Test
  void weightsOfAnotherArchitectureAreNamed() throws IOException {
    // a relu config over gated weights: wi is missing, wi_0 / wi_1 are unexpected
    Path folder = copyGatedWith(tmp.resolve("arch"), Map.of());
    Files.writeString(folder.resolve("config.json"), Files.readString(folder.resolve("config.json"))
        .replace("\"gated-gelu\"", "\"relu\""));
    assertThatThrownBy(() -> T5Encoder.load(folder, ScalarType.Float))
        .isInstanceOf(StateDictMismatchException.class)
        .hasMessageContaining("encoder.block.0.layer.1.DenseReluDense.wi.weight")
        .hasMessageContaining("unexpected in the file (6)");
  }

  @Test
  void foldersWithoutConfigOrWeightsAreClearErrors() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> T5Encoder.load(empty, ScalarType.Float)).isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining("no config.json");
    Files.copy(T5Fixtures.gated().resolve("config.json"), empty.resolve("config.json"));
    assertThatThrownBy(() -> T5Encoder.load(empty, ScalarType.Float)).isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining("no weights; expected one of [model.safetensors, model.safetensors.index.json, "
            + "pytorch_model.bin, pytorch_model.bin.index.json]");
    assertThatThrownBy(() -> T5Encoder.load(T5Fixtures.gated(), ScalarType.Half))
        .hasMessageContaining("dtype must be Float or BFloat16");
  }

  @Test
  void badInputsAreRejected() {
    try (PointerScope s = new PointerScope()) {
      Tensor ids = cases.read("gated.input_ids");
      Tensor mask = cases.read("gated.attention_mask");
      assertThatThrownBy(() -> gated.forward(ids.flatten(), null)).hasMessageContaining("inputIds must be (B, L)");
      assertThatThrownBy(() -> gated.forward(ids.to(ScalarType.Float), null))
          .hasMessageContaining("must hold integer token ids");
      assertThatThrownBy(() -> gated.forward(ids.add(new Scalar(50)), null))
          .hasMessageContaining("token ids must be in [0, 100), got [");
      assertThatThrownBy(() -> gated.forward(ids, mask.narrow(1, 0, 10)))
          .hasMessageContaining("attentionMask must have the shape of inputIds [2, 130], got [2, 10]");
      assertThatThrownBy(() -> gated.forward(ids, mask.mul(new Scalar(2))))
          .hasMessageContaining("attentionMask must hold only 0 and 1");
      // int32 ids and a float mask are fine
      assertClose("int32 ids, float mask", gated.forward(ids.to(ScalarType.Int), mask.to(ScalarType.Float)),
          cases.read("gated.expected"), 1e-5, 1e-5);
    }
  }

  @Test
  void randomFlanT5XlShapedSmallModelRuns() {
    // create(): Hugging Face's init; a scaled-down XL shape, in bf16
    T5Config small = new T5Config(300, 64, 16, 4, 2, 160, T5Config.FeedForwardProj.GATED_GELU, 1e-6, 32, 128);
    torch.manual_seed(7);
    T5Encoder enc = T5Encoder.create(small, ScalarType.BFloat16);
    try (PointerScope s = new PointerScope()) {
      Tensor ids = torch.randint(300, new long[] {2, 120}, new TensorOptions(ScalarType.Long));
      Tensor out = enc.forward(ids, null);
      assertThat(out.shape()).containsExactly(2, 120, 64);
      assertThat(out.scalar_type().value).isEqualTo(ScalarType.BFloat16.value);
      assertThat(out.isfinite().all().item_bool()).isTrue();
    }
  }

  /**
   * A copy of the gated folder whose safetensors has {@code renames} applied: key -> new name, or
   * key -> "" to drop it.
   */
  private static Path copyGatedWith(Path folder, Map<String, String> renames) throws IOException {
    Files.createDirectories(folder);
    Files.copy(T5Fixtures.gated().resolve("config.json"), folder.resolve("config.json"));
    try (SafetensorsFile f = SafetensorsFile.open(T5Fixtures.gated().resolve("model.safetensors"));
        PointerScope s = new PointerScope()) {
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (String k : f.keys()) {
        String name = renames.getOrDefault(k, k);
        if (!name.isEmpty()) {
          out.put(name, f.read(k));
        }
      }
      SafetensorsWriter.write(folder.resolve("model.safetensors"), out);
    }
    return folder;
  }
}
