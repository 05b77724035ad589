package io.github.argrpo.eval.drawbench.clients;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.eval.drawbench.DrawbenchScorer;
import io.github.argrpo.eval.drawbench.PixelConversion;
import io.github.argrpo.eval.drawbench.ScorerInfo;
import io.github.argrpo.rewards.clip.PilBicubicResize;

/**
 * UnifiedReward ({@code CodeGoat24/UnifiedReward-7b-v1.5}, a Qwen2.5-VL-7B judge served by SGLang with an
 * OpenAI-compatible API) as AR-GRPO's {@code reward_utils/unireward.py} calls it: each image rounded to 8
 * bits, resized to 512x512 (Pillow bicubic), sent as a PNG {@code data:image;base64,...} URL <b>before</b>
 * the text in one user message, {@code temperature: 0}, model {@code UnifiedReward-7b-v1.5}; the reply's
 * {@code Final Score:\s*([1-5](?:\.\d+)?)} is the score, divided by 5, and 0 when the pattern is absent.
 *
 * <pre>{@code
 * try (UnifiedRewardClient u = new UnifiedRewardClient(URI.create("http://127.0.0.1:17140/v1"))) {
 *   double[] v = u.score(images, prompts);     // in [0.2, 1], or 0
 * }
 * }</pre>
 *
 * <p>The body is built here rather than by the judge's {@code ChatCompletionsClient}, whose messages put
 * the text first and always add {@code top_p} and {@code max_tokens}; UnifiedReward's reference sends
 * neither. All images of a call are in flight at once (the reference's {@code asyncio.gather}). Thread-safe.
 */
public final class UnifiedRewardClient implements DrawbenchScorer {

  /** The reference's server: {@code create_session(url="http://127.0.0.1:17140/v1")}. */
  public static final String DEFAULT_URL = "http://127.0.0.1:17140/v1";
  /** The model name the reference requests. */
  public static final String MODEL = "UnifiedReward-7b-v1.5";
  /** The reference's API key (SGLang ignores it). */
  public static final String API_KEY = "unireward";
  /** The side images are resized to. */
  public static final int SIDE = 512;
  private static final Pattern SCORE = Pattern.compile("Final Score:\\s*([1-5](?:\\.\\d+)?)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ATTEMPTS = 3; // the OpenAI client's default: 2 retries on connection errors, 429 and 5xx

  private final URI endpoint;
  private final HttpClient http;
  private final Duration timeout;

  /** A client for {@code baseUrl} (the {@code /v1} root; {@code /chat/completions} is appended). */
  public UnifiedRewardClient(URI baseUrl) {
    this(baseUrl, Duration.ofSeconds(600));
  }

  /** As {@link #UnifiedRewardClient(URI)} with a per-request timeout. */
  public UnifiedRewardClient(URI baseUrl, Duration timeout) {
    String s = baseUrl.toString();
    this.endpoint = URI.create((s.endsWith("/") ? s.substring(0, s.length() - 1) : s) + "/chat/completions");
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    this.timeout = timeout;
  }

  /** The reference's question, with the caption inserted. */
  public static String question(String prompt) {
    return "<image>\nYou are given a text caption and a generated image based on that caption. Your task is to evaluate "
        + "this image based on two key criteria:\n1. Alignment with the Caption: Assess how well this image aligns with "
        + "the provided caption. Consider the accuracy of depicted objects, their relationships, and attributes as "
        + "described in the caption.\n2. Overall Image Quality: Examine the visual quality of this image, including "
        + "clarity, detail preservation, color accuracy, and overall aesthetic appeal.\nBased on the above criteria, "
        + "assign a score from 1 to 5 after 'Final Score:'.\nYour task is provided as follows:\nText Caption: ["
        + prompt + "]";
  }

  /** {@code _extract_scores} for one reply: the first {@code Final Score:} value (1..5), or 0 when absent. */
  public static double extractScore(String reply) {
    if (reply == null) {
      return 0;
    }
    Matcher m = SCORE.matcher(reply);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** The request body for one image (already 512x512 PNG data URL) and prompt. */
  public static ObjectNode requestBody(String imageDataUrl, String prompt) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", MODEL);
    ObjectNode user = body.putArray("messages").addObject();
    user.put("role", "user");
    ArrayNode content = user.putArray("content");
    content.addObject().put("type", "image_url").putObject("image_url").put("url", imageDataUrl);
    content.addObject().put("type", "text").put("text", question(prompt));
    body.put("temperature", 0);
    return body;
  }

  /** Image {@code i} rounded to 8 bits, resized to 512x512 and PNG-encoded: {@code pil_image_to_base64}. */
  public static String imageDataUrl(ImageBatch images, int i) {
    int w = images.width();
    int h = images.height();
    byte[] rgb = PilBicubicResize.resize(PixelConversion.ROUND.toUint8Hwc(images, i), w, h, 3, SIDE, SIDE);
    BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        int p = (y * SIDE + x) * 3;
        img.setRGB(x, y, ((rgb[p] & 0xFF) << 16) | ((rgb[p + 1] & 0xFF) << 8) | (rgb[p + 2] & 0xFF));
      }
    }
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ImageIO.write(img, "png", out);
      // the reference's prefix has no subtype: "data:image;base64,"
      return "data:image;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("PNG encoding failed: " + e.getMessage(), e);
    }
  }

  @Override
  public ScorerInfo info() {
    return new ScorerInfo("unireward", "CodeGoat24/UnifiedReward-7b-v1.5 (Qwen2.5-VL-7B) at " + endpoint, "server",
        PixelConversion.ROUND, "Final Score (1..5) / 5, 0 when absent; 512x512 PNG, temperature 0", 1.0);
  }

  @Override
  public double[] score(ImageBatch images, List<String> prompts) {
    DrawbenchScorer.checkCounts(images, prompts, "unireward");
    List<CompletableFuture<String>> replies = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      String body = requestBody(imageDataUrl(images, i), prompts.get(i)).toString();
      replies.add(send(body, 1));
    }
    double[] out = new double[prompts.size()];
    for (int i = 0; i < out.length; i++) {
      try {
        out[i] = extractScore(replies.get(i).join()) / 5.0;
      } catch (CompletionException e) {
        Throwable c = e.getCause() != null ? e.getCause() : e;
        throw new IllegalStateException("UnifiedReward server " + endpoint + " failed for image " + i + ": "
            + c.getMessage() + " (start it with SGLang, see docs/evaluation.md, or leave out --unireward-url)", c);
      }
    }
    return out;
  }

  private CompletableFuture<String> send(String body, int attempt) {
    HttpRequest req = HttpRequest.newBuilder(endpoint).timeout(timeout).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + API_KEY).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).handle((r, err) -> {
      boolean retry = err != null || r.statusCode() == 429 || r.statusCode() >= 500;
      if (retry && attempt < ATTEMPTS) {
        return send(body, attempt + 1);
      }
      if (err != null) {
        return CompletableFuture.<String>failedFuture(err);
      }
      if (r.statusCode() != 200) {
        return CompletableFuture.<String>failedFuture(new IOException("HTTP " + r.statusCode() + ": "
            + r.body().substring(0, Math.min(300, r.body().length()))));
      }
      try {
        JsonNode content = JSON.readTree(r.body()).path("choices").path(0).path("message").path("content");
        if (!content.isTextual()) {
          return CompletableFuture.<String>failedFuture(new IOException("reply has no choices[0].message.content: "
              + r.body().substring(0, Math.min(300, r.body().length()))));
        }
        return CompletableFuture.completedFuture(content.asText());
      } catch (IOException e) {
        return CompletableFuture.<String>failedFuture(new IOException("reply is not JSON: " + e.getMessage(), e));
      }
    }).thenCompose(f -> f);
  }
}
