package io.github.argrpo.rewards.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.core.testing.Fixtures;
import io.github.argrpo.weights.SafetensorsFile;
import io.github.argrpo.weights.SafetensorsWriter;

/** {@link ClipModel}: both weight layouts, load errors, shapes, causality, bf16. Uses the tiny OpenAI CLIP fixture. */
class ClipModelTest {

  private static final Path FIXTURE = Fixtures.parityDir().resolve("clip-openai-tiny");
  private static ClipConfig tiny;

  @BeforeAll
  static void init() {
    NativeRuntime.init();
    tiny = ClipConfig.builder().embedDim(32).imageSize(32).patchSize(8).visionWidth(64).visionLayers(2)
        .visionHeads(1).contextLength(77).vocabSize(512).textWidth(64).textHeads(2).textLayers(2).build();
  }

  @Test
  void presetsHaveThePublishedSizes() {
    try (ClipModel b32 = ClipModel.create(ClipConfig.vitB32(), Precision.BF16)) {
      // openai/clip-vit-base-patch32: 151,277,313 parameters
      assertThat(b32.parameterCount()).isEqualTo(151_277_313L);
      assertThat(b32.stateDictKeys()).contains("visual.transformer.resblocks.11.attn.in_proj_weight",
          "transformer.resblocks.11.mlp.c_proj.bias", "text_projection", "visual.proj", "logit_scale");
    }
    assertThat(ClipConfig.vitH14().visionTokens()).isEqualTo(257);
    assertThatThrownBy(() -> ClipConfig.builder().visionHeads(5).build()).hasMessageContaining("768 / 5");
  }

  /** Hugging Face names (split q/k/v, transposed projections) load into the same numbers as OpenAI names. */
  @Test
  void huggingFaceLayoutGivesTheSameModel(@TempDir Path dir) throws IOException {
    Path hf = dir.resolve("hf.safetensors");
    try (SafetensorsFile src = SafetensorsFile.open(FIXTURE.resolve("weights.safetensors"));
        PointerScope scope = new PointerScope()) {
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (String k : src.keys()) {
        toHuggingFace(k, src.read(k), out);
      }
      out.put("text_model.embeddings.position_ids", Tensor.create(new long[77], 1, 77));
      SafetensorsWriter.write(hf, out);
    }
    try (ClipModel a = ClipModel.load(tiny, Precision.FP32, FIXTURE.resolve("weights.safetensors"));
        ClipModel b = ClipModel.load(tiny, Precision.FP32, hf);
        SafetensorsFile io = SafetensorsFile.open(FIXTURE.resolve("io.safetensors"));
        PointerScope scope = new PointerScope()) {
      Tensor images = io.read("images");
      Tensor text = io.read("text");
      assertThat(maxDiff(a.encodeImage(images), b.encodeImage(images))).isZero();
      assertThat(maxDiff(a.encodeText(text), b.encodeText(text))).isZero();
      assertThat(b.logitScaleExp()).isEqualTo(a.logitScaleExp());
    }
  }

  @Test
  void loadErrorsNameMissingUnexpectedAndMismatchedKeys(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad.safetensors");
    try (SafetensorsFile src = SafetensorsFile.open(FIXTURE.resolve("weights.safetensors"));
        PointerScope scope = new PointerScope()) {
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (String k : src.keys()) {
        if (!k.equals("ln_final.bias")) {
          out.put(k.equals("visual.ln_pre.weight") ? "visual.ln_pre.gamma" : k, src.read(k));
        }
      }
      out.put("text_projection", Tensor.create(new float[64 * 16], 64, 16));
      SafetensorsWriter.write(bad, out);
    }
    assertThatThrownBy(() -> ClipModel.load(tiny, Precision.FP32, bad)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 missing [visual.ln_pre.weight, ln_final.bias]")
        .hasMessageContaining("1 unexpected [visual.ln_pre.gamma]")
        .hasMessageContaining("text_projection (model [64, 32], file [64, 16])");
    Path notClip = dir.resolve("other.safetensors");
    try (PointerScope scope = new PointerScope()) {
      SafetensorsWriter.write(notClip, Map.of("tok_embeddings.weight", Tensor.create(new float[4], 2, 2)));
    }
    assertThatThrownBy(() -> ClipModel.load(tiny, Precision.FP32, notClip))
        .hasMessageContaining("not a CLIP state dict").hasMessageContaining("tok_embeddings.weight");
  }

  @Test
  void inputShapeAndIdErrorsAreClear() {
    try (ClipModel m = ClipModel.create(tiny, Precision.FP32); PointerScope scope = new PointerScope()) {
      assertThatThrownBy(() -> m.encodeImage(Tensor.create(new float[3 * 16 * 16], 1, 3, 16, 16)))
          .hasMessageContaining("expects 32x32 pixels, got 16x16");
      assertThatThrownBy(() -> m.encodeImage(Tensor.create(new float[3 * 32 * 32], 3, 32, 32)))
          .hasMessageContaining("pixels must be [B, 3, 32, 32], got [3, 32, 32]");
      assertThatThrownBy(() -> m.encodeText(Tensor.create(new long[] {49406, 1, 49407}, 1, 3)))
          .hasMessageContaining("token ids must lie in [0, 512), got range [1, 49407]");
      assertThatThrownBy(() -> m.encodeText(Tensor.create(new long[78], 1, 78)))
          .hasMessageContaining("1..77 positions, got 78");
    }
  }

  /**
   * Tokens after end-of-text (the argmax) cannot change the pooled features: the mask is causal (SDPA in fp32,
   * the written-out attention in bf16).
   */
  @ParameterizedTest
  @EnumSource(Precision.class)
  void textFeaturesIgnoreEverythingAfterEndOfText(Precision precision) {
    double tol = precision == Precision.FP32 ? 1e-5 : 1e-2;
    torch.manual_seed(11);
    try (ClipModel m = ClipModel.create(tiny, precision); PointerScope scope = new PointerScope()) {
      long[] a = new long[77];
      long[] b = new long[77];
      for (int i = 0; i < 77; i++) {
        a[i] = i < 5 ? 10 + i : 0;
        b[i] = i < 5 ? 10 + i : (i * 7) % 400;
      }
      a[5] = 511;
      b[5] = 511;
      long[] c = a.clone();
      c[2] = 99;
      Tensor fa = m.encodeText(Tensor.create(a, 1, 77));
      assertThat(maxDiff(fa, m.encodeText(Tensor.create(b, 1, 77)))).isLessThan(tol);
      assertThat(maxDiff(fa, m.encodeText(Tensor.create(c, 1, 77)))).isGreaterThan(3 * tol);
      // A shorter context (Hugging Face padding=True) pools the same vector.
      assertThat(maxDiff(fa, m.encodeText(Tensor.create(Arrays.copyOf(a, 6), 1, 6)))).isLessThan(tol);
    }
  }

  @Test
  void bf16StaysCloseToFp32() throws IOException {
    try (ClipModel f = ClipModel.load(tiny, Precision.FP32, FIXTURE.resolve("weights.safetensors"));
        ClipModel h = ClipModel.load(tiny, Precision.BF16, FIXTURE.resolve("weights.safetensors"));
        SafetensorsFile io = SafetensorsFile.open(FIXTURE.resolve("io.safetensors"));
        PointerScope scope = new PointerScope()) {
      Tensor images = io.read("images");
      Tensor text = io.read("text");
      Tensor cf = ClipScores.rowCosine(f.encodeImage(images), f.encodeText(text));
      Tensor ch = ClipScores.rowCosine(h.encodeImage(images), h.encodeText(text));
      assertThat(h.encodeImage(images).scalar_type().value).isEqualTo(ScalarType.Float.value);
      assertThat(maxDiff(cf, ch)).isLessThan(0.03);
    }
  }

  static double maxDiff(Tensor a, Tensor b) {
    return a.sub(b).abs().max().item_double();
  }

  static float[] floats(Tensor t) {
    Tensor c = t.contiguous();
    float[] out = new float[(int) c.numel()];
    new FloatPointer(c.data_ptr_float()).get(out);
    return out;
  }

  /** The Hugging Face CLIPModel name(s) of an OpenAI tensor, written independently of ClipStateDict. */
  private static void toHuggingFace(String k, Tensor t, Map<String, Tensor> out) {
    String[][] top = {
      {"visual.class_embedding", "vision_model.embeddings.class_embedding"},
      {"visual.conv1.weight", "vision_model.embeddings.patch_embedding.weight"},
      {"visual.positional_embedding", "vision_model.embeddings.position_embedding.weight"},
      {"token_embedding.weight", "text_model.embeddings.token_embedding.weight"},
      {"positional_embedding", "text_model.embeddings.position_embedding.weight"},
      {"logit_scale", "logit_scale"},
    };
    for (String[] p : top) {
      if (k.equals(p[0])) {
        out.put(p[1], t);
        return;
      }
    }
    if (k.equals("visual.proj")) {
      out.put("visual_projection.weight", t.t().contiguous());
      return;
    }
    if (k.equals("text_projection")) {
      out.put("text_projection.weight", t.t().contiguous());
      return;
    }
    String n = k.replace("visual.ln_pre.", "vision_model.pre_layrnorm.")
        .replace("visual.ln_post.", "vision_model.post_layernorm.")
        .replace("ln_final.", "text_model.final_layer_norm.")
        .replace("visual.transformer.resblocks.", "vision_model.encoder.layers.")
        .replace("transformer.resblocks.", "text_model.encoder.layers.")
        .replace(".ln_1.", ".layer_norm1.").replace(".ln_2.", ".layer_norm2.")
        .replace(".mlp.c_fc.", ".mlp.fc1.").replace(".mlp.c_proj.", ".mlp.fc2.")
        .replace(".attn.out_proj.", ".self_attn.out_proj.");
    if (n.startsWith("vision_model.text_model")) {
      n = n.replace("vision_model.text_model.encoder", "vision_model.encoder");
    }
    if (n.contains(".attn.in_proj_")) {
      String kind = n.endsWith("weight") ? "weight" : "bias";
      TensorVector qkv = t.chunk(3, 0);
      String base = n.substring(0, n.indexOf(".attn.in_proj_"));
      out.put(base + ".self_attn.q_proj." + kind, qkv.get(0).contiguous());
      out.put(base + ".self_attn.k_proj." + kind, qkv.get(1).contiguous());
      out.put(base + ".self_attn.v_proj." + kind, qkv.get(2).contiguous());
      return;
    }
    out.put(n, t.mul(new Scalar(1.0)));
  }
}
