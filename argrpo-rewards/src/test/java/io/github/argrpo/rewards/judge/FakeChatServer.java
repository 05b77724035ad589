package io.github.argrpo.rewards.judge;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A scripted {@code /v1/chat/completions} server on 127.0.0.1 (ephemeral port) for the judge tests.
 * Each request takes the next scripted {@link Step}; when the script is empty the fallback answers.
 * Records every request body and Authorization header. {@code GET /v1/models} lists
 * {@link #serves(String...)} (by default {@code Qwen2.5-VL-3B-Instruct}; none: 404, as a server without the
 * listing). Stops within a second on {@link #close()}.
 */
final class FakeChatServer implements AutoCloseable {

  /**
   * What to do for one request: wait, then answer with a status and a body; with {@code stall}, send the
   * headers and half the body first, then wait, then the rest.
   */
  record Step(long delayMs, int status, String body, boolean stall) {
    Step(long delayMs, int status, String body) {
      this(delayMs, status, body, false);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  private final ConcurrentLinkedDeque<Step> script = new ConcurrentLinkedDeque<>();
  private final List<JsonNode> bodies = Collections.synchronizedList(new ArrayList<>());
  private final List<String> auth = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile Function<JsonNode, Step> fallback = b -> ok(reply("{\"score\": 1}"));
  private volatile List<String> served = List.of("Qwen2.5-VL-3B-Instruct");
  private final AtomicInteger modelListings = new AtomicInteger();

  FakeChatServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/chat/completions", this::handle);
    server.createContext("/v1/models", this::models);
    server.setExecutor(executor);
    server.start();
  }

  /** The OpenAI base URL, {@code http://127.0.0.1:<port>/v1}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  FakeChatServer then(Step... steps) {
    script.addAll(List.of(steps));
    return this;
  }

  FakeChatServer otherwise(Function<JsonNode, Step> f) {
    fallback = f;
    return this;
  }

  /** The model names {@code GET /v1/models} lists; none makes it answer 404. */
  FakeChatServer serves(String... names) {
    served = List.of(names);
    return this;
  }

  /** How many {@code GET /v1/models} requests came. */
  int modelListings() {
    return modelListings.get();
  }

  List<JsonNode> bodies() {
    return List.copyOf(bodies);
  }

  List<String> authHeaders() {
    return List.copyOf(auth);
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  static Step ok(String body) {
    return new Step(0, 200, body);
  }

  static Step status(int code) {
    return new Step(0, code, "{\"error\": \"scripted " + code + "\"}");
  }

  static Step slow(long ms, String body) {
    return new Step(ms, 200, body);
  }

  static Step stall(long ms, String body) {
    return new Step(ms, 200, body, true);
  }

  /** A chat-completion body whose message content is {@code content}. */
  static String reply(String content) {
    return JSON.createObjectNode()
        .<ObjectNode>set("choices", JSON.createArrayNode()
            .add(JSON.createObjectNode().put("index", 0).set("message",
                JSON.createObjectNode().put("role", "assistant").put("content", content))))
        .set("usage", JSON.createObjectNode().put("prompt_tokens", 100).put("completion_tokens", 7))
        .toString();
  }

  private void models(HttpExchange ex) throws IOException {
    modelListings.incrementAndGet();
    ObjectNode root = JSON.createObjectNode().put("object", "list");
    served.forEach(n -> root.withArray("data").addObject().put("id", n).put("object", "model"));
    byte[] out = (served.isEmpty() ? "{\"detail\": \"Not Found\"}" : root.toString()).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(served.isEmpty() ? 404 : 200, out.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(out);
    }
    ex.close();
  }

  private void handle(HttpExchange ex) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      byte[] in = ex.getRequestBody().readAllBytes();
      JsonNode body;
      try {
        body = JSON.readTree(in);
      } catch (IOException e) {
        body = JSON.createObjectNode().put("unparseable", new String(in, StandardCharsets.UTF_8));
      }
      bodies.add(body);
      auth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
      Step step = script.pollFirst();
      if (step == null) {
        step = fallback.apply(body);
      }
      if (step.delayMs() > 0 && !step.stall()) {
        try {
          Thread.sleep(step.delayMs());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      byte[] out = step.body().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      try {
        ex.sendResponseHeaders(step.status(), out.length);
        try (OutputStream os = ex.getResponseBody()) {
          if (step.stall()) {
            os.write(out, 0, out.length / 2);
            os.flush();
            Thread.sleep(step.delayMs());
            os.write(out, out.length / 2, out.length - out.length / 2);
          } else {
            os.write(out);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } catch (IOException clientGone) {
        // the client timed out and closed the connection: expected in the slow tests
      }
    } finally {
      inFlight.decrementAndGet();
      ex.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
