package io.github.argrpo.rewards.judge;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A small blocking client of the OpenAI-compatible {@code POST /v1/chat/completions} API (vLLM,
 * SGLang), for one user message made of a text part and an image part.
 *
 * <p>Bounded and self-stopping: at most {@link JudgeConfig#maxConcurrency()} requests are in flight
 * (a semaphore, so several rewards may share one client); each HTTP attempt has
 * {@link JudgeConfig#requestTimeout()} (plus one second for the body); connection errors, timeouts, 408, 429 and 5xx are retried up to
 * {@link JudgeConfig#maxAttempts()} attempts in all, waiting {@code initialBackoff * 2^k} (capped at
 * {@code maxBackoff}, with +-20% jitter so that many callers do not retry in lockstep). Other statuses
 * (400 bad model name, 401 bad key, 404 wrong path) are not retried. The worst-case time of one call
 * is therefore {@code maxAttempts * requestTimeout} plus the backoffs.
 *
 * <pre>{@code
 * try (ChatCompletionsClient client = new ChatCompletionsClient(cfg)) {
 *   ChatReply r = client.complete("Describe the image.", "data:image/jpeg;base64,...", null);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Holds no native memory; {@link #close()} only marks it closed (the JDK 17
 * {@code HttpClient} has no close and releases its threads when unreachable).
 */
public final class ChatCompletionsClient implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChatCompletionsClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Time allowed for the body after {@link JudgeConfig#requestTimeout()}: replies are small. */
  private static final long BODY_GRACE_MS = 1000;

  private final JudgeConfig cfg;
  private final HttpClient http;
  private final Semaphore inFlight;
  private final AtomicLong attempts = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong promptTokens = new AtomicLong();
  private final AtomicLong completionTokens = new AtomicLong();
  private volatile boolean closed;

  /** A client for {@code cfg}'s endpoint; no connection is opened until the first request. */
  public ChatCompletionsClient(JudgeConfig cfg) {
    checkArgument(cfg != null, "judge config must not be null");
    this.cfg = cfg;
    // HTTP/1.1: uvicorn (vLLM) and SGLang speak it; a cleartext h2c upgrade attempt only adds a round trip
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(cfg.connectTimeout()).build();
    this.inFlight = new Semaphore(cfg.maxConcurrency(), true);
  }

  /** The configuration. */
  public JudgeConfig config() {
    return cfg;
  }

  /**
   * The request body for one text + image message.
   *
   * @param text the prompt text
   * @param imageUrl the image as a {@code data:} URL (or any URL the server can fetch)
   * @param responseFormat an OpenAI {@code response_format} object, or null for none
   */
  public ObjectNode requestBody(String text, String imageUrl, JsonNode responseFormat) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", cfg.model());
    ArrayNode messages = body.putArray("messages");
    ObjectNode user = messages.addObject();
    user.put("role", "user");
    ArrayNode content = user.putArray("content");
    // text first, then the image, as AR-GRPO's messages
    content.addObject().put("type", "text").put("text", text);
    content.addObject().put("type", "image_url").putObject("image_url").put("url", imageUrl);
    body.put("temperature", cfg.temperature());
    body.put("top_p", cfg.topP());
    if (cfg.topK() > 0) {
      body.put("top_k", cfg.topK());
    }
    body.put("max_tokens", cfg.maxTokens());
    if (cfg.repetitionPenalty() != null) {
      body.put("repetition_penalty", cfg.repetitionPenalty());
    }
    if (responseFormat != null) {
      body.set("response_format", responseFormat);
    }
    return body;
  }

  /**
   * Sends one message and returns the reply, retrying as described in the class comment.
   *
   * @throws JudgeException when every attempt failed or the server refused the request; the message
   *     names the endpoint, the last status or error, and a body excerpt
   */
  public ChatReply complete(String text, String imageUrl, JsonNode responseFormat) {
    checkState(!closed, "this ChatCompletionsClient is closed");
    checkArgument(text != null && !text.isBlank(), "judge prompt text must not be empty");
    checkArgument(imageUrl != null && !imageUrl.isBlank(), "judge image URL must not be empty");
    String payload;
    try {
      payload = JSON.writeValueAsString(requestBody(text, imageUrl, responseFormat));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize the judge request: " + e.getMessage(), e);
    }
    HttpRequest.Builder rb = HttpRequest.newBuilder(cfg.endpoint())
        .timeout(cfg.requestTimeout())
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
    if (cfg.apiKey() != null) {
      rb.header("Authorization", "Bearer " + cfg.apiKey());
    }
    HttpRequest request = rb.build();
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JudgeException("interrupted while waiting for a free judge connection slot", e);
    }
    try {
      return sendWithRetries(request);
    } finally {
      inFlight.release();
    }
  }

  /**
   * Asks the server once whether it serves {@link JudgeConfig#model()}: {@code GET <base>/models} and, where
   * the server has no such listing, one text-only chat request of one token. A judge that is down,
   * misnamed or refusing would otherwise give every image the failure value and train a different reward
   * stack than the one configured.
   *
   * @throws JudgeException naming the URL, the model and what to change, when there is no answer, the
   *     model is not among the listed ones, or the request is refused
   */
  public void checkServer() {
    URI models = modelsUri();
    HttpRequest.Builder get = HttpRequest.newBuilder(models).timeout(cfg.requestTimeout()).GET()
        .header("Accept", "application/json");
    HttpResponse<String> listing = sendOnce(authorized(get).build(), models);
    if (listing.statusCode() == 200) {
      List<String> served = servedModels(listing.body());
      if (served.contains(cfg.model())) {
        return;
      }
      if (!served.isEmpty()) {
        throw new JudgeException("the judge at " + models + " serves " + served + ", not '" + cfg.model()
            + "': set the judge option 'model' to one of them (the server's --served-model-name)");
      }
    } else if (listing.statusCode() == 401 || listing.statusCode() == 403) {
      throw new JudgeException("the judge at " + models + " refused the API key (HTTP " + listing.statusCode() + "): "
          + "set 'api_key' or 'api_key_env' to the server's key");
    }
    // no usable listing (404 on servers without /models): one tiny request names the model instead
    ObjectNode probe = JSON.createObjectNode();
    probe.put("model", cfg.model());
    probe.putArray("messages").addObject().put("role", "user").put("content", "Reply with OK.");
    probe.put("max_tokens", 1);
    probe.put("temperature", 0.0);
    HttpRequest.Builder post = HttpRequest.newBuilder(cfg.endpoint()).timeout(cfg.requestTimeout())
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(probe.toString(), StandardCharsets.UTF_8));
    HttpResponse<String> answer = sendOnce(authorized(post).build(), cfg.endpoint());
    if (answer.statusCode() != 200) {
      throw new JudgeException("the judge at " + cfg.endpoint() + " refused a one-token test request for model '"
          + cfg.model() + "': HTTP " + answer.statusCode() + ": " + excerpt(answer.body())
          + "; check the endpoint and the model name (the server's --served-model-name)");
    }
  }

  /** {@code <base>/models}, the OpenAI model listing next to the chat path. */
  URI modelsUri() {
    String u = cfg.endpoint().toString();
    String base = u.endsWith(JudgeConfig.CHAT_PATH) ? u.substring(0, u.length() - JudgeConfig.CHAT_PATH.length()) : u;
    return URI.create(base + "/models");
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder b) {
    if (cfg.apiKey() != null) {
      b.header("Authorization", "Bearer " + cfg.apiKey());
    }
    return b;
  }

  /** One attempt, for the start-up check: no answer is an error that says how to proceed. */
  private HttpResponse<String> sendOnce(HttpRequest request, URI target) {
    try {
      return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
          .get(cfg.requestTimeout().toMillis() + BODY_GRACE_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable c = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      String why = c instanceof TimeoutException ? "no reply within " + (cfg.requestTimeout().toMillis() + BODY_GRACE_MS)
          + " ms" : c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
      throw new JudgeException("no judge server answers at " + target + " (model '" + cfg.model() + "'): " + why
          + ". Start it (docs/serving-vlm-judge.md) and check the endpoint; option check_on_start: false skips "
          + "this check", c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JudgeException("interrupted while checking the judge at " + target, e);
    }
  }

  private static List<String> servedModels(String body) {
    List<String> ids = new ArrayList<>();
    try {
      for (JsonNode m : JSON.readTree(body).path("data")) {
        if (m.path("id").isTextual()) {
          ids.add(m.path("id").asText());
        }
      }
    } catch (JsonProcessingException e) {
      // not an OpenAI listing: the chat probe decides
    }
    return ids;
  }

  private ChatReply sendWithRetries(HttpRequest request) {
    String last = "no attempt made";
    Throwable lastError = null;
    for (int attempt = 1; attempt <= cfg.maxAttempts(); attempt++) {
      if (attempt > 1) {
        retries.incrementAndGet();
        sleepBackoff(attempt - 1);
      }
      attempts.incrementAndGet();
      HttpResponse<String> resp;
      // sendAsync + a hard deadline: HttpRequest.timeout bounds the wait for the headers only, and a
      // server that stalls mid-body must not hang a training step
      CompletableFuture<HttpResponse<String>> pending =
          http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      try {
        resp = pending.get(cfg.requestTimeout().toMillis() + BODY_GRACE_MS, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        Throwable c = e.getCause() == null ? e : e.getCause();
        if (!(c instanceof IOException)) {
          failed.incrementAndGet();
          throw new JudgeException("calling the judge at " + cfg.endpoint() + " failed: " + c, c);
        }
        // HttpTimeoutException and ConnectException are IOExceptions: retried
        last = c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
        lastError = c;
        LOG.debug("judge attempt {}/{} to {} failed: {}", attempt, cfg.maxAttempts(), cfg.endpoint(), last);
        continue;
      } catch (TimeoutException e) {
        pending.cancel(true);
        last = "no complete reply within " + (cfg.requestTimeout().toMillis() + BODY_GRACE_MS) + " ms";
        lastError = e;
        LOG.debug("judge attempt {}/{} to {}: {}", attempt, cfg.maxAttempts(), cfg.endpoint(), last);
        continue;
      } catch (InterruptedException e) {
        pending.cancel(true);
        Thread.currentThread().interrupt();
        failed.incrementAndGet();
        throw new JudgeException("interrupted while calling the judge at " + cfg.endpoint(), e);
      }
      int status = resp.statusCode();
      if (status == 200) {
        return read(resp.body());
      }
      last = "HTTP " + status + ": " + excerpt(resp.body());
      lastError = null;
      if (!(status == 408 || status == 429 || status >= 500)) {
        failed.incrementAndGet();
        throw new JudgeException("the judge at " + cfg.endpoint() + " refused the request (model '" + cfg.model()
            + "'): " + last);
      }
      LOG.debug("judge attempt {}/{} to {}: {}", attempt, cfg.maxAttempts(), cfg.endpoint(), last);
    }
    failed.incrementAndGet();
    throw new JudgeException("the judge at " + cfg.endpoint() + " failed " + cfg.maxAttempts() + " attempt(s); last: "
        + last, lastError);
  }

  private ChatReply read(String body) {
    try {
      JsonNode root = JSON.readTree(body);
      JsonNode usage = root.path("usage");
      promptTokens.addAndGet(usage.path("prompt_tokens").asLong(0));
      completionTokens.addAndGet(usage.path("completion_tokens").asLong(0));
      JsonNode content = root.path("choices").path(0).path("message").path("content");
      return new ChatReply(content.isTextual() ? content.asText() : null, body);
    } catch (JsonProcessingException e) {
      return new ChatReply(null, body);
    }
  }

  private void sleepBackoff(int retry) {
    long base = cfg.initialBackoff().toMillis();
    long cap = cfg.maxBackoff().toMillis();
    long wait = retry >= 31 ? cap : Math.min(cap, base << (retry - 1));
    wait = Math.round(wait * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    if (wait <= 0) {
      return;
    }
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JudgeException("interrupted while backing off before a judge retry", e);
    }
  }

  /** The HTTP counters; the reward-level fields are 0. */
  public JudgeStats stats() {
    return new JudgeStats(attempts.get(), retries.get(), failed.get(), 0, 0, promptTokens.get(), completionTokens.get());
  }

  /** Marks the client closed; later calls fail. */
  @Override
  public void close() {
    closed = true;
  }

  private static String excerpt(String s) {
    if (s == null) {
      return "(no body)";
    }
    String one = s.replace('\n', ' ');
    return one.length() <= 200 ? one : one.substring(0, 197) + "...";
  }
}
