package io.github.argrpo.rewards.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.core.testing.Fixtures;
import io.github.argrpo.rewards.clip.ClipActivation;
import io.github.argrpo.rewards.clip.ClipConfig;
import io.github.argrpo.rewards.clip.ClipModel;
import io.github.argrpo.rewards.clip.ClipScores;
import io.github.argrpo.weights.SafetensorsFile;

/**
 * CLIP and open_clip (HPSv2) towers against the reference outputs: every folder under
 * {@link Fixtures#parityDir()} whose {@code config.json} kind is {@code clip-openai} or
 * {@code clip-openclip}; the model is built from the fixture's config and its {@code weights.safetensors}.
 */
class ClipParityTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TestFactory
  Stream<DynamicNode> clipFixtures() throws IOException {
    Path dir = Fixtures.parityDir();
    assumeTrue(Files.isDirectory(dir), "parity fixtures not found at " + dir);
    List<Path> folders = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        Path cfg = p.resolve("config.json");
        if (Files.isRegularFile(cfg)) {
          String kind = JSON.readTree(cfg.toFile()).path("kind").asText();
          if (kind.equals("clip-openai") || kind.equals("clip-openclip")) {
            folders.add(p);
          }
        }
      }
    }
    assumeTrue(!folders.isEmpty(), "no clip-openai / clip-openclip fixture under " + dir);
    return folders.stream().map(ClipParityTest::fixture);
  }

  private static DynamicNode fixture(Path folder) {
    String name = folder.getFileName().toString();
    List<DynamicNode> tests = new ArrayList<>();
    for (String c : new String[] {"image_features", "text_features", "score"}) {
      tests.add(DynamicTest.dynamicTest(name + ": " + c, () -> runCase(folder, c)));
    }
    return DynamicContainer.dynamicContainer(name, tests);
  }

  private static void runCase(Path folder, String which) throws IOException {
    NativeRuntime.init();
    JsonNode cfg = JSON.readTree(folder.resolve("config.json").toFile());
    boolean openai = cfg.get("kind").asText().equals("clip-openai");
    ClipConfig config = openai ? openAiConfig(cfg.get("model")) : openClipConfig(cfg.get("model"));
    double atol = cfg.path("tolerance").path("atol").asDouble(2e-4);
    double rtol = cfg.path("tolerance").path("rtol").asDouble(1e-4);
    try (ClipModel model = ClipModel.load(config, Precision.FP32, folder.resolve("weights.safetensors"));
        SafetensorsFile io = SafetensorsFile.open(folder.resolve("io.safetensors"));
        PointerScope scope = new PointerScope()) {
      Tensor images = io.read("images");
      Tensor text = io.read("text");
      Tensor got;
      String expectedKey;
      switch (which) {
        case "image_features" -> {
          got = model.encodeImage(images);
          expectedKey = "image_features";
        }
        case "text_features" -> {
          got = model.encodeText(text);
          expectedKey = "text_features";
        }
        default -> {
          if (io.keys().contains("logits_per_image")) {
            got = model.logitsPerImage(images, text);
            expectedKey = "logits_per_image";
          } else {
            got = ClipScores.rowCosine(model.encodeImage(images), model.encodeText(text));
            expectedKey = "hps_score";
          }
        }
      }
      Tensor want = io.read(expectedKey);
      assertThat(got.sizes().vec().get()).as(expectedKey + " shape").containsExactly(want.sizes().vec().get());
      float[] g = floats(got);
      float[] w = floats(want);
      double worst = 0;
      for (int i = 0; i < w.length; i++) {
        double excess = Math.abs(g[i] - w[i]) - (atol + rtol * Math.abs(w[i]));
        worst = Math.max(worst, Math.abs(g[i] - w[i]));
        assertThat(excess).as("%s[%d]: got %s, want %s (atol %s, rtol %s)", expectedKey, i, g[i], w[i], atol, rtol)
            .isLessThanOrEqualTo(0.0);
      }
      LoggerFactory.getLogger(ClipParityTest.class).info("{} {}: max |diff| {}", folder.getFileName(),
          expectedKey, worst);
    }
  }

  private static float[] floats(Tensor t) {
    Tensor c = t.to(ScalarType.Float).contiguous();
    float[] out = new float[(int) c.numel()];
    new FloatPointer(c.data_ptr_float()).get(out);
    return out;
  }

  /** openai/CLIP {@code build_model} arguments; vision heads are width / 64 there. */
  static ClipConfig openAiConfig(JsonNode m) {
    int visionWidth = m.get("vision_width").asInt();
    return ClipConfig.builder().embedDim(m.get("embed_dim").asInt()).imageSize(m.get("image_resolution").asInt())
        .patchSize(m.get("vision_patch_size").asInt()).visionWidth(visionWidth)
        .visionLayers(m.get("vision_layers").asInt()).visionHeads(Math.max(1, visionWidth / 64))
        .contextLength(m.get("context_length").asInt()).vocabSize(m.get("vocab_size").asInt())
        .textWidth(m.get("transformer_width").asInt()).textHeads(m.get("transformer_heads").asInt())
        .textLayers(m.get("transformer_layers").asInt()).activation(ClipActivation.QUICK_GELU).build();
  }

  /** open_clip {@code CLIPVisionCfg} / {@code CLIPTextCfg} (defaults as open_clip's: head_width 64, mlp_ratio 4). */
  static ClipConfig openClipConfig(JsonNode m) {
    JsonNode v = m.get("vision_cfg");
    JsonNode t = m.get("text_cfg");
    int width = v.get("width").asInt();
    JsonNode size = v.get("image_size");
    return ClipConfig.builder().embedDim(m.get("embed_dim").asInt())
        .imageSize(size.isArray() ? size.get(0).asInt() : size.asInt()).patchSize(v.get("patch_size").asInt())
        .visionWidth(width).visionLayers(v.get("layers").asInt())
        .visionHeads(width / v.path("head_width").asInt(64)).mlpRatio(v.path("mlp_ratio").asDouble(4.0))
        .contextLength(t.path("context_length").asInt(77)).vocabSize(t.path("vocab_size").asInt(49408))
        .textWidth(t.get("width").asInt()).textHeads(t.get("heads").asInt()).textLayers(t.get("layers").asInt())
        .activation(m.path("quick_gelu").asBoolean(false) ? ClipActivation.QUICK_GELU : ClipActivation.GELU).build();
  }
}
