package io.github.argrpo.rewards.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardResult;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.testing.Fixtures;
import io.github.argrpo.rewards.torchscript.ImagePreprocessing;
import io.github.argrpo.rewards.torchscript.ManiqaReward;
import io.github.argrpo.rewards.torchscript.TorchScriptModel;
import io.github.argrpo.weights.SafetensorsFile;

/**
 * The paper's class-to-image stack end to end: stand-in CLIP/HPS providers (constant cosines), the
 * real MANIQA adapter on the TorchScript fixture, and the three judge questions against a local server.
 */
@Timeout(60)
class ArGrpoPresetTest {

  @Test
  void c2iStackAddsTheEightScaledParts(@TempDir Path tmp) throws Exception {
    ObjectMapper json = new ObjectMapper();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/chat/completions", ex -> {
      String text = json.readTree(ex.getRequestBody()).at("/messages/0/content/0/text").asText();
      // quality 4 (if the class name arrived), fake: not AI (1), weird: something strange (0)
      String content = text.contains("a photo of goldfish, Carassius auratus") ? "```json\n{\"score\": 4.0}\n```"
          : text.contains("AI-generated") ? "{\"score\": 1,}" : text.contains("strange feature") ? "{'score': 0}" : "?";
      byte[] out = json.createObjectNode().set("choices", json.createArrayNode().add(json.createObjectNode()
          .set("message", json.createObjectNode().put("content", content)))).toString().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, out.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
    });
    server.start();
    Path model = Fixtures.sharedDir().resolve("fixtures/torchscript/tiny_iqa.pt");
    Path names = Files.writeString(tmp.resolve("names.txt"), "tench, Tinca tinca\ngoldfish, Carassius auratus\n");
    Map<String, Map<String, Object>> opts = Map.of(
        "clip", Map.of("value", 0.31),
        "hpsv2", Map.of("value", 0.27),
        "maniqa", Map.of("model", model.toString(), "seed", 7, "crops", 4, "batch_size", 4),
        "vlm_judge", Map.of("endpoint", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1",
            "prompts", Fixtures.data("vlm_judge_prompts.txt").toString(), "class_names", names.toString(),
            "max_concurrency", 2));
    ConstantProvider clip = new ConstantProvider("clip");
    ConstantProvider hps = new ConstantProvider("hpsv2");
    RewardProviders reg = RewardProviders.of(List.of(clip, hps, new ManiqaProvider(), new VlmJudgeQualityProvider(),
        new VlmJudgeFakeProvider(), new VlmJudgeWeirdProvider()));
    try (ImageBatch images = fixtureImages();
        RewardStack stack = RewardStack.fromSpecs(RewardStack.arGrpoC2i(opts), reg)) {
      List<Condition> conds = List.of(Condition.ofClass(1), Condition.ofClass(1), Condition.ofClass(1));
      RewardResult r = stack.score(images, conds);
      double[] m = new ManiqaReward(
          TorchScriptModel.load(model, DeviceSpec.CPU), true, 4, 7L, 4,
          ImagePreprocessing.maniqa(), "m").score(images, conds).scores();
      for (int i = 0; i < 3; i++) {
        // 5 * 0.31 + q(0.31) + 5 * 0.27 + q(0.27) + 2 * maniqa + 4 / 4 + 1 / 4 + 0 / 4
        double expected = 1.55 + 1.0 + 1.35 + 0.5 + 2 * m[i] + 1.0 + 0.25 + 0.0;
        assertThat(r.score(i)).as("image %s", i).isCloseTo(expected, within(1e-9));
      }
      assertThat(r.components()).containsKeys("clip", "clip_quantize", "hpsv2", "hpsv2_quantize", "maniqa",
          "vlm_judge_quality", "vlm_judge_fake", "vlm_judge_weird", "vlm_judge_quality/unreadable");
      assertThat(r.components().get("vlm_judge_quality/unreadable")).containsOnly(0.0);
      assertThat(clip.created).hasValue(1);
      assertThat(clip.calls).hasValue(1);
    } finally {
      server.stop(0);
    }
  }

  private static ImageBatch fixtureImages() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(Fixtures.sharedDir().resolve("fixtures/torchscript/io.safetensors"));
        PointerScope s = new PointerScope()) {
      Tensor x = f.read("images");
      return ImageBatch.wrap(x.add(new Scalar(1.0)).div(new Scalar(2.0)));
    }
  }
}
