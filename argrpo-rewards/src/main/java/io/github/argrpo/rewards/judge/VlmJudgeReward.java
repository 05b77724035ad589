package io.github.argrpo.rewards.judge;

import static com.google.common.base.Preconditions.checkArgument;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;

/**
 * One question of AR-GRPO's VLM judge as a reward: each image is sent, with the question's prompt, to
 * an OpenAI-compatible server, and the score in the reply is the reward.
 *
 * <p><b>Scale.</b> Scores are <em>raw</em>: 0..5 for {@link JudgeQuestion#QUALITY}, 0 or 1 for
 * {@link JudgeQuestion#FAKE} and {@link JudgeQuestion#WEIRD}. The paper's {@code score / 4} is composed by
 * the caller ({@code Rewards.scaled(judge, JudgeQuestion.PAPER_SCALE, ...)}, or {@code scale: paper} in a
 * reward stack), so the raw value stays available for evaluation.
 *
 * <p><b>Per image:</b> the image (truncating 8-bit conversion, as {@code to_pil_image}) is encoded as
 * {@link JudgeConfig#imageFormat()}; the reply is read by {@link JudgeReplyParser}; a score outside
 * {@code [0, maxScore]} counts as unreadable; an unreadable reply is asked again up to
 * {@link JudgeConfig#parseAttempts()} times (AR-GRPO retries 3 times); then {@link JudgeConfig#onFailure()}
 * decides. Images are scored concurrently, at most {@link JudgeConfig#maxConcurrency()} at once.
 *
 * <p><b>Components:</b> {@code <name>} (the scores) and {@code <name>/unreadable} (1 where the failure
 * value was used, else 0), so a step's unreadable count is the component's sum; {@link #stats()} keeps
 * running totals, HTTP retries and token usage included.
 *
 * <pre>{@code
 * JudgeConfig cfg = JudgeConfig.builder().endpoint("http://127.0.0.1:20004/v1").build();
 * JudgePrompts prompts = JudgePrompts.load(Path.of("vlm_judge_prompts.json"));
 * try (VlmJudgeReward fake = VlmJudgeReward.create(JudgeQuestion.FAKE, prompts, JudgeSubjects.textOnly(), cfg)) {
 *   RewardResult r = fake.score(images, conditions);
 * }
 * }</pre>
 *
 * <p><b>A judge that does not answer is an error, not a constant.</b> {@link #create} asks the server once
 * ({@link JudgeConfig#checkOnStart()}), and a batch in which every image fell back to the failure value
 * throws ({@link JudgeConfig#failWhenAllDefault()}): a constant reward has no group advantage, so the run
 * would otherwise train without this reward.
 *
 * <p>Thread-safe. {@link #close()} stops the worker threads and, if this reward created it, the client.
 */
public final class VlmJudgeReward implements RewardFunction {

  private static final Logger LOG = LoggerFactory.getLogger(VlmJudgeReward.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final JudgeQuestion question;
  private final JudgePrompts prompts;
  private final JudgeSubjects subjects;
  private final ChatCompletionsClient client;
  private final boolean ownsClient;
  private final String name;
  private final ExecutorService pool;
  private final AtomicLong unreadable = new AtomicLong();
  private final AtomicLong defaulted = new AtomicLong();
  private final AtomicReference<String> lastFailure = new AtomicReference<>("none");

  /**
   * @param question which of the three questions
   * @param prompts the prompt texts
   * @param subjects how conditions become the quality prompt's subject
   * @param client the HTTP client; may be shared by several judges (its semaphore bounds them together)
   * @param ownsClient whether {@link #close()} closes the client
   * @param name the metric name, usually {@code question.rewardName()}
   */
  public VlmJudgeReward(JudgeQuestion question, JudgePrompts prompts, JudgeSubjects subjects,
      ChatCompletionsClient client, boolean ownsClient, String name) {
    checkArgument(question != null && prompts != null && subjects != null && client != null,
        "question, prompts, subjects and client are all required");
    checkArgument(name != null && name.matches("[A-Za-z0-9_.\\-]+"),
        "judge reward name must be letters, digits, '_', '.' or '-', got '%s'", name);
    this.question = question;
    this.prompts = prompts;
    this.subjects = subjects;
    this.client = client;
    this.ownsClient = ownsClient;
    this.name = name;
    int id = POOLS.incrementAndGet();
    AtomicInteger thread = new AtomicInteger();
    ThreadFactory tf = r -> {
      Thread t = new Thread(r, "vlm-judge-" + id + "-" + thread.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.pool = Executors.newFixedThreadPool(client.config().maxConcurrency(), tf);
  }

  /**
   * A judge with its own client for {@code cfg}, named {@code question.rewardName()}. With
   * {@link JudgeConfig#checkOnStart()} the server is asked once first ({@link ChatCompletionsClient#checkServer()}).
   *
   * @throws JudgeException when the start-up check fails
   */
  public static VlmJudgeReward create(JudgeQuestion question, JudgePrompts prompts, JudgeSubjects subjects, JudgeConfig cfg) {
    ChatCompletionsClient client = new ChatCompletionsClient(cfg);
    if (cfg.checkOnStart()) {
      client.checkServer();
    }
    return new VlmJudgeReward(question, prompts, subjects, client, true, question.rewardName());
  }

  /** The question this reward asks. */
  public JudgeQuestion question() {
    return question;
  }

  @Override
  public String name() {
    return name;
  }

  /** The name of the unreadable-count component, {@code <name>/unreadable}. */
  public String unreadableComponent() {
    return name + "/unreadable";
  }

  @Override
  public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
    RewardFunction.checkCounts(images, conditions, name);
    int n = images.count();
    // prompts and pixels are prepared on the calling thread: bad conditions fail before any request,
    // and the batch's tensor is only touched here
    List<String> texts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      try {
        texts.add(prompts.render(question, question.usesSubject() ? subjects.of(conditions.get(i)) : null));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + ", image " + i + ": " + e.getMessage(), e);
      }
    }
    List<BufferedImage> pictures = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      pictures.add(images.toBufferedImage(i));
    }
    JudgeConfig cfg = client.config();
    ObjectNode format = cfg.jsonSchema() ? responseFormat() : null;
    List<Future<Double>> futures = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      final int k = i;
      futures.add(pool.submit(() -> scoreOne(k, texts.get(k), pictures.get(k), format)));
    }
    double[] scores = new double[n];
    double[] flags = new double[n];
    try {
      for (int i = 0; i < n; i++) {
        Double s = futures.get(i).get();
        if (s == null) {
          scores[i] = cfg.onFailure() == FailurePolicy.NAN ? Double.NaN : cfg.defaultScore();
          flags[i] = 1;
          defaulted.incrementAndGet();
        } else {
          scores[i] = s;
        }
      }
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new JudgeException(name + ": interrupted while waiting for the judge", e);
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      throw new JudgeException(name + ": " + c, c);
    }
    if (n > 0 && cfg.failWhenAllDefault() && Arrays.stream(flags).allMatch(f -> f == 1)) {
      // a constant reward has zero group advantage: the step would train as if this reward were absent
      throw new JudgeException(name + ": all " + n + " images of the batch fell back to the failure value; the judge at "
          + cfg.endpoint() + " (model '" + cfg.model() + "') is down, misnamed or unreadable (last: " + lastFailure.get()
          + "). Training on would silently drop this reward; fix the server, or set fail_when_all_default: false");
    }
    Map<String, double[]> comps = new LinkedHashMap<>();
    comps.put(name, scores);
    comps.put(unreadableComponent(), flags);
    return new RewardResult(scores, comps);
  }

  /** The score of one image, or null for "use the failure value" (the ERROR policy throws instead). */
  private Double scoreOne(int index, String text, BufferedImage picture, ObjectNode format) {
    JudgeConfig cfg = client.config();
    String url = ImageDataUrl.encode(picture, cfg.imageFormat(), cfg.jpegQuality());
    String lastReply = "";
    for (int attempt = 1; attempt <= cfg.parseAttempts(); attempt++) {
      ChatReply reply;
      try {
        reply = client.complete(text, url, format);
      } catch (JudgeException e) {
        if (cfg.onFailure() == FailurePolicy.ERROR) {
          throw new JudgeException(name + ", image " + index + ": " + e.getMessage(), e);
        }
        LOG.warn("{}: image {} gets the failure value: {}", name, index, e.getMessage());
        lastFailure.set(e.getMessage());
        return null;
      }
      OptionalDouble v = reply.content() == null ? OptionalDouble.empty() : JudgeReplyParser.parse(reply.content());
      if (v.isPresent() && v.getAsDouble() >= 0 && v.getAsDouble() <= question.maxScore()) {
        return v.getAsDouble();
      }
      unreadable.incrementAndGet();
      lastReply = reply.excerpt();
      LOG.debug("{}: unreadable reply {}/{} for image {}: {}", name, attempt, cfg.parseAttempts(), index, lastReply);
    }
    if (cfg.onFailure() == FailurePolicy.ERROR) {
      throw new JudgeException(name + ", image " + index + ": no score in [0, " + question.maxScore() + "] could be read in "
          + cfg.parseAttempts() + " repl" + (cfg.parseAttempts() == 1 ? "y" : "ies") + "; last: " + lastReply);
    }
    LOG.warn("{}: image {} gets the failure value after {} unreadable replies; last: {}", name, index,
        cfg.parseAttempts(), lastReply);
    lastFailure.set(cfg.parseAttempts() + " unreadable replies, the last: " + lastReply);
    return null;
  }

  /** An OpenAI {@code response_format} JSON schema: the score within the question's range. */
  private ObjectNode responseFormat() {
    ObjectNode rf = JSON.createObjectNode();
    rf.put("type", "json_schema");
    ObjectNode js = rf.putObject("json_schema");
    js.put("name", name.replace('.', '_'));
    ObjectNode schema = js.putObject("schema");
    schema.put("type", "object");
    ObjectNode props = schema.putObject("properties");
    if (question.usesSubject()) {
      props.putObject("description").put("type", "string");
    }
    props.putObject("score").put("type", "number").put("minimum", 0).put("maximum", question.maxScore());
    if (question.usesSubject()) {
      props.putObject("explanation").put("type", "string");
      schema.putArray("required").add("description").add("score").add("explanation");
    } else {
      schema.putArray("required").add("score");
    }
    return rf;
  }

  /** Running totals: HTTP counters of the client (shared if the client is) and this reward's own. */
  public JudgeStats stats() {
    JudgeStats c = client.stats();
    return new JudgeStats(c.httpAttempts(), c.retries(), c.failedRequests(), unreadable.get(), defaulted.get(),
        c.promptTokens(), c.completionTokens());
  }

  /** Stops the worker threads (waiting briefly for running requests) and closes an owned client. */
  @Override
  public void close() {
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("{}: judge workers still running 5 s after close", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownsClient) {
      client.close();
    }
  }
}
