package io.github.argrpo.eval.drawbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.image.ImageBatch;

/**
 * The folder runner with a scorer whose values are worked out by hand: the 8-bit red level of the
 * image's first pixel under the scorer's conversion (PNG levels 10, 20, 30 -> mean 20, Table 4 20 / 4).
 */
class DrawbenchEvaluationTest {

  @TempDir
  Path tmp;

  /** Scores each image by its first pixel's red level, as its conversion reads it. */
  private static final class RedLevel implements DrawbenchScorer {
    @Override
    public ScorerInfo info() {
      return new ScorerInfo("red", "first red level", "fp32", PixelConversion.ROUND, "level", 4.0);
    }

    @Override
    public double[] score(ImageBatch images, List<String> prompts) {
      DrawbenchScorer.checkCounts(images, prompts, "red");
      double[] v = new double[images.count()];
      for (int i = 0; i < v.length; i++) {
        v[i] = PixelConversion.ROUND.toUint8Hwc(images, i)[0] & 0xFF;
      }
      return v;
    }
  }

  @Test
  void writesPerImageLinesAndTheSummary() throws Exception {
    write(tmp, "{\"index\": 0, \"prompt\": \"a\", \"samples\": [\"00000/samples/0000.png\", \"00000/samples/0001.png\"]}\n"
        + "{\"index\": 1, \"prompt\": \"b\", \"samples\": [\"00001/samples/0000.png\"]}\n", 10, 20, 30);
    DrawbenchEvaluation.Result r = new DrawbenchEvaluation(List.of(new RedLevel()), Map.of("deqa", "no server"), 2)
        .run(PromptFolder.read(tmp), tmp.resolve("eval"));
    assertEquals(20.0, r.means().get("red"), 1e-12);
    List<String> lines = Files.readAllLines(tmp.resolve("eval/scores.jsonl"));
    ObjectMapper json = new ObjectMapper();
    assertEquals(3, lines.size());
    assertEquals(30.0, json.readTree(lines.get(2)).get("red").asDouble());
    assertEquals("b", json.readTree(lines.get(2)).get("prompt").asText());
    JsonNode s = json.readTree(tmp.resolve("eval/summary.json").toFile());
    assertEquals(5.0, s.get("scorers").get("red").get("table4").asDouble(), 1e-12);
    assertEquals("round", s.get("scorers").get("red").get("uint8_conversion").asText());
    assertEquals("no server", s.get("skipped").get("deqa").asText());
    assertEquals(2, s.get("prompts").asInt());
  }

  @Test
  void badFoldersAreNamed() throws Exception {
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> PromptFolder.read(tmp));
    assertTrue(none.getMessage().contains("prompts.jsonl"), none.getMessage());
    write(tmp, "{\"index\": 0, \"prompt\": \"a\", \"samples\": [\"00000/samples/0009.png\"]}\n", 10);
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> PromptFolder.read(tmp));
    assertTrue(missing.getMessage().contains("line 1") && missing.getMessage().contains("0009.png"), missing.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new DrawbenchEvaluation(List.of(), Map.of("clip", "no weights"), 1));
  }

  /** The index plus images {@code 0000/samples/000j.png}... filled with the given red levels in order. */
  private static void write(Path dir, String index, int... reds) throws Exception {
    Files.writeString(dir.resolve("prompts.jsonl"), index, StandardCharsets.UTF_8);
    String[] rel = {"00000/samples/0000.png", "00000/samples/0001.png", "00001/samples/0000.png"};
    for (int i = 0; i < reds.length; i++) {
      Path p = dir.resolve(rel[i]);
      Files.createDirectories(p.getParent());
      BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
          img.setRGB(x, y, (reds[i] << 16) | 0x0707);
        }
      }
      ImageIO.write(img, "png", p.toFile());
    }
  }
}
