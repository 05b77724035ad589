package io.github.argrpo.eval.drawbench.clients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.image.ImageBatch;

/**
 * UnifiedReward's client against a stub server on 127.0.0.1. The expected request comes from the
 * reference itself: {@code make_unireward_request.py} ran AR-GRPO's {@code unified_reward()} with a
 * recording stand-in for the OpenAI client ({@code unireward_request.json}: body, decoded 512x512 PNG
 * pixels, scores 0.9 and 0 for the replies "... Final Score: 4.5" and "no score here").
 */
class UnifiedRewardClientTest {

  private static final float[] V = {0f, 1f, 0.5f, 0.3f, 0.7f, 0.999f, 0.25f, 0.125f, 0.9f, 0.6f, 0.05f, 0.45f};

  @Test
  void requestsAndScoresAsTheReference() throws Exception {
    JsonNode ref;
    try (InputStream in = getClass().getResourceAsStream("unireward_request.json")) {
      ref = new ObjectMapper().readTree(in);
    }
    ObjectMapper json = new ObjectMapper();
    try (StubServer server = new StubServer(body -> {
      String s = new String(body, StandardCharsets.UTF_8);
      String reply = s.contains("[a red cube]") ? "The image fits well. Final Score: 4.5" : "no score here";
      ObjectNode r = json.createObjectNode();
      r.putArray("choices").addObject().putObject("message").put("role", "assistant").put("content", reply);
      return new StubServer.Reply(200, r.toString().getBytes(StandardCharsets.UTF_8));
    }); ImageBatch images = twoImages()) {
      UnifiedRewardClient c = new UnifiedRewardClient(server.uri("/v1"));
      double[] got = c.score(images, List.of("a red cube", "two [dogs] & a cat"));
      assertArrayEquals(new double[] {ref.get("scores").get(0).asDouble(), ref.get("scores").get(1).asDouble()}, got, 1e-12);
      assertEquals(2, server.requests.size());
      for (StubServer.Request r : server.requests) {
        assertEquals("/v1/chat/completions", r.path());
        assertEquals("Bearer " + ref.get("api_key").asText(), r.authorization());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        JsonNode body = json.readTree(r.body());
        String text = body.path("messages").path(0).path("content").path(1).path("text").asText();
        JsonNode want = null;
        for (JsonNode q : ref.get("requests")) {
          if (q.path("body").path("messages").path(0).path("content").path(1).path("text").asText().equals(text)) {
            want = q;
          }
        }
        assertTrue(want != null, "no reference request has the text " + text);
        // field by field: the same keys, the same values, the image URL aside
        String url = body.path("messages").path(0).path("content").path(0).path("image_url").path("url").asText();
        assertTrue(url.startsWith("data:image;base64,"), url.substring(0, 30));
        ((ObjectNode) body.path("messages").path(0).path("content").path(0).path("image_url")).put("url",
            "data:image;base64,<png>");
        assertEquals(want.get("body"), body);
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1))));
        assertEquals(512, png.getWidth());
        assertEquals(512, png.getHeight());
        for (Iterator<Map.Entry<String, JsonNode>> it = want.get("png_pixels").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          String[] yx = e.getKey().split(",");
          int rgb = png.getRGB(Integer.parseInt(yx[1]), Integer.parseInt(yx[0]));
          int[] have = {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF};
          int[] exp = {e.getValue().get(0).asInt(), e.getValue().get(1).asInt(), e.getValue().get(2).asInt()};
          assertArrayEquals(exp, have, "pixel (y,x) " + e.getKey() + " of " + text.substring(text.lastIndexOf('[')));
        }
      }
    }
  }

  @Test
  void extractsTheFirstScoreOrZero() {
    assertEquals(4.5, UnifiedRewardClient.extractScore("Final Score: 4.5 ... Final Score: 2"));
    assertEquals(3.0, UnifiedRewardClient.extractScore("Final Score:3"));
    assertEquals(0.0, UnifiedRewardClient.extractScore("Final Score: 7"));   // only 1..5 match
    assertEquals(0.0, UnifiedRewardClient.extractScore("score: 4"));
    assertEquals(0.0, UnifiedRewardClient.extractScore(null));
  }

  @Test
  void aFailingServerIsAnErrorNotAZero() throws Exception {
    try (StubServer server = new StubServer(b -> new StubServer.Reply(400, "bad request".getBytes(StandardCharsets.UTF_8)));
        ImageBatch images = twoImages()) {
      UnifiedRewardClient c = new UnifiedRewardClient(server.uri("/v1"));
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.score(images, List.of("a", "b")));
      assertTrue(e.getMessage().contains("HTTP 400"), e.getMessage());
    }
  }

  /** The generator's two 3x4 images: value (c, y, x) = V[(4y + x + 5c) % 12]; the second is mirrored left-right. */
  private static ImageBatch twoImages() {
    float[] px = new float[2 * 3 * 3 * 4];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 3; y++) {
        for (int x = 0; x < 4; x++) {
          float v = V[(y * 4 + x + c * 5) % 12];
          px[(c * 3 + y) * 4 + x] = v;
          px[36 + (c * 3 + y) * 4 + (3 - x)] = v;
        }
      }
    }
    return ImageBatch.fromArray(px, 2, 3, 4);
  }
}
