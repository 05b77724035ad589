package io.github.argrpo.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.core.testing.Fixtures;
import io.github.argrpo.rewards.clip.ClipActivation;
import io.github.argrpo.rewards.clip.ClipConfig;
import io.github.argrpo.rewards.clip.ClipModel;
import io.github.argrpo.weights.SafetensorsWriter;
import picocli.CommandLine;

/**
 * {@code argrpo eval drawbench} end to end on tiny random models over a folder of 2 prompts x 2 images:
 * CLIP score, HPSv2, PickScore, aesthetic (the {@code aesthetic-mlp} fixture's head) and ImageReward (the
 * tiny TorchScript stand-in of argrpo-eval's tests) run; DeQA and UnifiedReward have no server and must
 * be listed as skipped, never written as zeros.
 */
class EvalDrawbenchCommandTest {

  @TempDir
  Path tmp;

  @Test
  void scoresAFolderAndRecordsTheProtocol() throws Exception {
    Path shared = Fixtures.sharedDir();
    Path bpe = shared.resolve("fixtures/clip-tokenizer/bpe_simple_vocab_16e6.txt.gz");
    Path mlp = shared.resolve("fixtures/eval/aesthetic-mlp/weights.safetensors");
    Path irDir = Fixtures.repoRoot().resolve("argrpo-eval/src/test/resources/io/github/argrpo/eval/drawbench/imagereward");
    assumeTrue(Files.isRegularFile(bpe) && Files.isRegularFile(mlp), "shared fixtures absent");

    Path folder = tmp.resolve("drawbench");
    writeFolder(folder, List.of("a red cube on a blue sphere", "two dogs & a cat"), 2);
    Path b32 = tinyClip(tmp.resolve("clip"), 16, ClipActivation.QUICK_GELU);
    Path h14 = tinyClip(tmp.resolve("hps"), 16, ClipActivation.GELU);
    Path pick = tinyClip(tmp.resolve("pick"), 24, ClipActivation.GELU);
    Path l14 = tinyClip(tmp.resolve("l14"), 768, ClipActivation.QUICK_GELU);

    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new EvalDrawbenchCommand());
    cl.setOut(new PrintWriter(out));
    int code = cl.execute(folder.toString(), "--bpe-vocab", bpe.toString(),
        "--clip-weights", b32.resolve("model.safetensors").toString(), "--clip-config", b32.resolve("config.json").toString(),
        "--hps-weights", h14.resolve("model.safetensors").toString(), "--hps-config", h14.resolve("config.json").toString(),
        "--pickscore-weights", pick.resolve("model.safetensors").toString(),
        "--pickscore-config", pick.resolve("config.json").toString(),
        "--aesthetic-clip", l14.resolve("model.safetensors").toString(), "--aesthetic-config", l14.resolve("config.json").toString(),
        "--aesthetic-mlp", mlp.toString(),
        "--imagereward", irDir.resolve("tiny_imagereward.pt").toString(), "--bert-vocab", irDir.resolve("test_vocab.txt").toString(),
        "--batch", "3");
    assertEquals(0, code, out.toString());

    ObjectMapper json = new ObjectMapper();
    List<String> lines = Files.readAllLines(folder.resolve("eval/scores.jsonl"));
    assertEquals(4, lines.size());
    List<String> scorers = List.of("clip", "hpsv2", "pickscore", "imagereward", "aesthetic");
    for (String l : lines) {
      JsonNode n = json.readTree(l);
      for (String s : scorers) {
        assertTrue(n.get(s).isNumber() && Double.isFinite(n.get(s).asDouble()), s + " in " + l);
      }
      assertTrue(Math.abs(n.get("clip").asDouble()) <= 1.0, "a cosine: " + l);
      assertTrue(!n.has("deqa") && !n.has("unireward"), "skipped scorers must not write values: " + l);
    }
    JsonNode summary = json.readTree(folder.resolve("eval/summary.json").toFile());
    assertEquals(4, summary.get("images").asInt());
    assertEquals(2, summary.get("prompts").asInt());
    JsonNode s = summary.get("scorers");
    assertEquals("truncate", s.get("clip").get("uint8_conversion").asText());
    assertEquals("truncate", s.get("hpsv2").get("uint8_conversion").asText());
    for (String r : List.of("pickscore", "imagereward", "aesthetic")) {
      assertEquals("round", s.get(r).get("uint8_conversion").asText(), r);
    }
    assertEquals(s.get("pickscore").get("mean").asDouble() / 26, s.get("pickscore").get("table4").asDouble(), 1e-12);
    double mean = 0;
    for (String l : lines) {
      mean += json.readTree(l).get("pickscore").asDouble() / 4;
    }
    assertEquals(mean, s.get("pickscore").get("mean").asDouble(), 1e-9);
    assertTrue(summary.get("skipped").get("deqa").asText().contains("--deqa-url"));
    assertTrue(summary.get("skipped").get("unireward").asText().contains("--unireward-url"));
    assertTrue(out.toString().contains("deqa         skipped: no --deqa-url"), out.toString());
  }

  @Test
  void withoutAnyScorerItSaysWhatToGive() throws Exception {
    Path folder = tmp.resolve("empty");
    writeFolder(folder, List.of("a cat"), 1);
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new EvalDrawbenchCommand());
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(folder.toString());
    assertTrue(code != 0);
    assertTrue(err.toString().contains("no scorer to run"), err.toString());
  }

  /** The export layout: {@code <i:05>/samples/<j:04>.png} and prompts.jsonl. */
  private static void writeFolder(Path folder, List<String> prompts, int perPrompt) throws Exception {
    Random rnd = new Random(7);
    List<String> index = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < prompts.size(); i++) {
      List<String> files = new ArrayList<>();
      for (int j = 0; j < perPrompt; j++) {
        String rel = String.format("%05d/samples/%04d.png", i, j);
        Path p = folder.resolve(rel);
        Files.createDirectories(p.getParent());
        BufferedImage img = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
          for (int x = 0; x < 20; x++) {
            img.setRGB(x, y, rnd.nextInt(1 << 24));
          }
        }
        ImageIO.write(img, "png", p.toFile());
        files.add(rel);
      }
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("index", i);
      e.put("prompt", prompts.get(i));
      e.put("samples", files);
      index.add(json.writeValueAsString(e));
    }
    Files.write(folder.resolve("prompts.jsonl"), index, StandardCharsets.UTF_8);
  }

  /** A random tiny CLIP (full 49408-token vocabulary, real tokenizer ids) as model.safetensors + config.json. */
  private static Path tinyClip(Path dir, int embedDim, ClipActivation act) throws Exception {
    Files.createDirectories(dir);
    ClipConfig cfg = ClipConfig.builder().embedDim(embedDim).imageSize(32).patchSize(16).visionWidth(16).visionLayers(1)
        .visionHeads(2).textWidth(16).textLayers(1).textHeads(2).activation(act).build();
    try (ClipModel m = ClipModel.create(cfg, Precision.FP32); PointerScope s = new PointerScope()) {
      Map<String, Tensor> sd = new LinkedHashMap<>();
      StringTensorDict d = m.named_parameters(true);
      for (long i = 0; i < d.size(); i++) {
        String k = d.get(i).key().getString();
        // the model registers its text tower under "text."; the file uses the OpenAI names
        sd.put(k.startsWith("text.") ? k.substring(5) : k, new Tensor(d.get(i).value()).contiguous());
      }
      SafetensorsWriter.write(dir.resolve("model.safetensors"), sd);
    }
    new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), cfg);
    return dir;
  }
}
