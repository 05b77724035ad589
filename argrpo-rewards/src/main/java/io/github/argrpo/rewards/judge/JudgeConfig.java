package io.github.argrpo.rewards.judge;

import static com.google.common.base.Preconditions.checkArgument;

import java.net.URI;
import java.time.Duration;

/**
 * Settings of the VLM judge client: where the server is, how to decode, how hard to try.
 *
 * <p><b>Decoding presets.</b> {@link #arGrpoTraining()} (the default of {@link #builder()}) decodes as the
 * paper's models were trained: AR-GRPO's training scripts run the judge in-process with
 * {@code pipe(text=messages, max_new_tokens=256)} and no sampling arguments, so Qwen2.5-VL's own
 * {@code generation_config} applies ({@code top_k=1}: greedy); over the OpenAI API that is temperature 0
 * and {@code max_tokens} 256. {@link #vllmClient()} is the sampling of AR-GRPO's vLLM client, which the
 * scripts never ran: temperature 0.6, top-p 0.95, top-k 10, and 512 tokens here (that client sets none).
 *
 * <pre>{@code
 * JudgeConfig cfg = JudgeConfig.arGrpoTraining()
 *     .endpoint("http://127.0.0.1:20004/v1")          // "/chat/completions" is appended
 *     .model("Qwen2.5-VL-3B-Instruct")
 *     .maxConcurrency(64)
 *     .build();
 * }</pre>
 *
 * @param endpoint the chat-completions URL; a base ending in {@code /v1} gets {@code /chat/completions}
 *     appended by the builder. No default.
 * @param model the served model name ({@code --served-model-name}); default {@code Qwen2.5-VL-3B-Instruct}
 * @param apiKey sent as {@code Authorization: Bearer <key>} when not null or blank; default none
 * @param temperature sampling temperature, {@code >= 0} (0 = greedy); default 0 (training preset; the vLLM
 *     client preset has 0.6)
 * @param topP nucleus mass in (0, 1]; default 1 (training preset; the vLLM client preset has 0.95)
 * @param topK top-k, a vLLM/SGLang extension sent as {@code top_k}; 0 leaves it out; default 0 (training
 *     preset; the vLLM client preset has 10)
 * @param maxTokens completion budget {@code max_tokens}, {@code >= 1}; default 256 (AR-GRPO's
 *     {@code max_new_tokens}: a long description can use it up before the quality judge's score, and the
 *     paper's models were trained with that truncation; the vLLM client preset has 512)
 * @param repetitionPenalty {@code repetition_penalty} (a vLLM/SGLang extension, {@code > 0}), or null to
 *     leave it out (default; Qwen2.5-VL's generation_config has 1.05, which the in-process pipeline applied)
 * @param jsonSchema whether to send an OpenAI {@code response_format} JSON schema (score in the question's
 *     range) so the server constrains the reply; default false (the lenient parser copes either way)
 * @param imageFormat JPEG (default, as AR-GRPO) or PNG
 * @param jpegQuality JPEG quality in (0, 1]; default 0.75 (PIL's default 75, what AR-GRPO sends)
 * @param maxConcurrency requests in flight at once, per client, {@code >= 1}; default 16
 * @param connectTimeout TCP connect timeout; default 10 s
 * @param requestTimeout time limit of one HTTP attempt, headers included; default 120 s
 * @param maxAttempts HTTP attempts per request, {@code >= 1}: connection errors, timeouts, 429 and 5xx
 *     are retried; default 3
 * @param initialBackoff wait before the second attempt, doubled each time; default 500 ms
 * @param maxBackoff cap of the wait; default 10 s
 * @param parseAttempts requests per image while the reply is unreadable (a sampled reply can differ),
 *     {@code >= 1}; default 3 (AR-GRPO's {@code fail_cnt < 3})
 * @param onFailure what an image gets when no score was obtained; default {@link FailurePolicy#DEFAULT_SCORE}
 * @param defaultScore the score under {@link FailurePolicy#DEFAULT_SCORE}; default 0 (AR-GRPO)
 * @param checkOnStart whether the reward asks the server once when it is created (model listed, request
 *     accepted) and fails with the URL and model named when it does not answer; default true
 * @param failWhenAllDefault whether a batch in which every image fell back to the failure value is an
 *     error rather than a step trained on a constant reward (a judge that is down would otherwise turn
 *     the run into the paper's ablation C without a word); default true
 */
public record JudgeConfig(
    URI endpoint,
    String model,
    String apiKey,
    double temperature,
    double topP,
    int topK,
    int maxTokens,
    Double repetitionPenalty,
    boolean jsonSchema,
    ImageFormat imageFormat,
    float jpegQuality,
    int maxConcurrency,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    int parseAttempts,
    FailurePolicy onFailure,
    double defaultScore,
    boolean checkOnStart,
    boolean failWhenAllDefault) {

  /** The path appended to a base endpoint. */
  static final String CHAT_PATH = "/chat/completions";

  public JudgeConfig {
    checkArgument(endpoint != null, "judge endpoint is required, e.g. http://127.0.0.1:20004/v1");
    String scheme = endpoint.getScheme();
    checkArgument(scheme != null && (scheme.equals("http") || scheme.equals("https")) && endpoint.getHost() != null,
        "judge endpoint must be an http(s) URL with a host, got '%s'", endpoint);
    checkArgument(model != null && !model.isBlank(),
        "judge model name must not be blank (the server's --served-model-name)");
    checkArgument(temperature >= 0 && Double.isFinite(temperature),
        "temperature must be finite and >= 0, got %s", temperature);
    checkArgument(topP > 0 && topP <= 1, "topP must be in (0, 1], got %s", topP);
    checkArgument(topK >= 0, "topK must be >= 0 (0 = not sent), got %s", topK);
    checkArgument(maxTokens >= 1, "maxTokens must be >= 1, got %s", maxTokens);
    checkArgument(repetitionPenalty == null || (repetitionPenalty > 0 && Double.isFinite(repetitionPenalty)),
        "repetitionPenalty must be finite and > 0 (1 = none), or unset, got %s", repetitionPenalty);
    checkArgument(imageFormat != null, "imageFormat must not be null; use JPEG or PNG");
    checkArgument(jpegQuality > 0 && jpegQuality <= 1,
        "jpegQuality must be in (0, 1] (0.75 = PIL's 75), got %s", jpegQuality);
    checkArgument(maxConcurrency >= 1, "maxConcurrency must be >= 1, got %s", maxConcurrency);
    checkPositive(connectTimeout, "connectTimeout");
    checkPositive(requestTimeout, "requestTimeout");
    checkArgument(maxAttempts >= 1, "maxAttempts must be >= 1, got %s", maxAttempts);
    checkArgument(initialBackoff != null && !initialBackoff.isNegative() && maxBackoff != null
            && maxBackoff.compareTo(initialBackoff) >= 0,
        "backoff must satisfy 0 <= initialBackoff <= maxBackoff, got %s and %s", initialBackoff, maxBackoff);
    checkArgument(parseAttempts >= 1, "parseAttempts must be >= 1, got %s", parseAttempts);
    checkArgument(onFailure != null, "onFailure must not be null; use DEFAULT_SCORE, NAN or ERROR");
    checkArgument(Double.isFinite(defaultScore), "defaultScore must be finite, got %s", defaultScore);
    if (apiKey != null && apiKey.isBlank()) {
      apiKey = null;
    }
  }

  /** A builder with the defaults documented on the record: {@link #arGrpoTraining()}. */
  public static Builder builder() {
    return arGrpoTraining();
  }

  /**
   * The decoding the paper's models were trained with: temperature 0 (greedy, as Qwen2.5-VL's
   * {@code generation_config} with {@code top_k=1}), top-p 1, no top-k, {@code max_tokens} 256; the other
   * settings at their defaults. Set the endpoint before building.
   */
  public static Builder arGrpoTraining() {
    return new Builder();
  }

  /**
   * The sampling of AR-GRPO's vLLM client ({@code qwen_vl_reward.py}, vLLM mode, unused by its training
   * scripts): temperature 0.6, top-p 0.95, top-k 10, and {@code max_tokens} 512; the other settings at
   * their defaults. Set the endpoint before building.
   */
  public static Builder vllmClient() {
    return new Builder().temperature(0.6).topP(0.95).topK(10).maxTokens(512);
  }

  /** A builder holding this config's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.endpoint = endpoint;
    b.model = model;
    b.apiKey = apiKey;
    b.temperature = temperature;
    b.topP = topP;
    b.topK = topK;
    b.maxTokens = maxTokens;
    b.repetitionPenalty = repetitionPenalty;
    b.jsonSchema = jsonSchema;
    b.imageFormat = imageFormat;
    b.jpegQuality = jpegQuality;
    b.maxConcurrency = maxConcurrency;
    b.connectTimeout = connectTimeout;
    b.requestTimeout = requestTimeout;
    b.maxAttempts = maxAttempts;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.parseAttempts = parseAttempts;
    b.onFailure = onFailure;
    b.defaultScore = defaultScore;
    b.checkOnStart = checkOnStart;
    b.failWhenAllDefault = failWhenAllDefault;
    return b;
  }

  @Override
  public String toString() {
    // never print the key
    return "JudgeConfig[endpoint=" + endpoint + ", model=" + model + ", apiKey=" + (apiKey == null ? "none" : "***")
        + ", temperature=" + temperature + ", topP=" + topP + ", topK=" + topK + ", maxTokens=" + maxTokens
        + ", repetitionPenalty=" + (repetitionPenalty == null ? "unset" : repetitionPenalty) + ", jsonSchema=" + jsonSchema + ", imageFormat=" + imageFormat + ", jpegQuality=" + jpegQuality
        + ", maxConcurrency=" + maxConcurrency + ", requestTimeout=" + requestTimeout + ", maxAttempts=" + maxAttempts
        + ", parseAttempts=" + parseAttempts + ", onFailure=" + onFailure + ", defaultScore=" + defaultScore + ", checkOnStart=" + checkOnStart
        + ", failWhenAllDefault=" + failWhenAllDefault + "]";
  }

  private static void checkPositive(Duration d, String name) {
    checkArgument(d != null && !d.isZero() && !d.isNegative(), "%s must be a positive duration, got %s", name, d);
  }

  /** Mutable builder of {@link JudgeConfig}; every setter returns {@code this}. */
  public static final class Builder {
    private URI endpoint;
    private String model = "Qwen2.5-VL-3B-Instruct";
    private String apiKey;
    private double temperature = 0;
    private double topP = 1;
    private int topK;
    private int maxTokens = 256;
    private Double repetitionPenalty;
    private boolean jsonSchema;
    private ImageFormat imageFormat = ImageFormat.JPEG;
    private float jpegQuality = 0.75f;
    private int maxConcurrency = 16;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(120);
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(10);
    private int parseAttempts = 3;
    private FailurePolicy onFailure = FailurePolicy.DEFAULT_SCORE;
    private double defaultScore;
    private boolean checkOnStart = true;
    private boolean failWhenAllDefault = true;

    private Builder() {}

    /**
     * The server URL: either the full {@code .../chat/completions} URL or the OpenAI base (for example
     * {@code http://127.0.0.1:20004/v1}), to which {@code /chat/completions} is appended.
     */
    public Builder endpoint(String url) {
      checkArgument(url != null && !url.isBlank(), "judge endpoint must not be blank, e.g. http://127.0.0.1:20004/v1");
      String u = url.strip();
      while (u.endsWith("/")) {
        u = u.substring(0, u.length() - 1);
      }
      if (!u.endsWith(CHAT_PATH)) {
        u = u + CHAT_PATH;
      }
      try {
        this.endpoint = URI.create(u);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("judge endpoint is not a valid URL: '" + url + "' (" + e.getMessage() + ")", e);
      }
      return this;
    }

    /** See {@link JudgeConfig#model()}. */
    public Builder model(String v) {
      this.model = v;
      return this;
    }

    /** See {@link JudgeConfig#apiKey()}. */
    public Builder apiKey(String v) {
      this.apiKey = v;
      return this;
    }

    /** See {@link JudgeConfig#temperature()}. */
    public Builder temperature(double v) {
      this.temperature = v;
      return this;
    }

    /** See {@link JudgeConfig#topP()}. */
    public Builder topP(double v) {
      this.topP = v;
      return this;
    }

    /** See {@link JudgeConfig#topK()}. */
    public Builder topK(int v) {
      this.topK = v;
      return this;
    }

    /** See {@link JudgeConfig#maxTokens()}. */
    public Builder maxTokens(int v) {
      this.maxTokens = v;
      return this;
    }

    /** See {@link JudgeConfig#repetitionPenalty()}; null leaves it out of the request. */
    public Builder repetitionPenalty(Double v) {
      this.repetitionPenalty = v;
      return this;
    }

    /** See {@link JudgeConfig#jsonSchema()}. */
    public Builder jsonSchema(boolean v) {
      this.jsonSchema = v;
      return this;
    }

    /** See {@link JudgeConfig#imageFormat()}. */
    public Builder imageFormat(ImageFormat v) {
      this.imageFormat = v;
      return this;
    }

    /** See {@link JudgeConfig#jpegQuality()}. */
    public Builder jpegQuality(float v) {
      this.jpegQuality = v;
      return this;
    }

    /** See {@link JudgeConfig#maxConcurrency()}. */
    public Builder maxConcurrency(int v) {
      this.maxConcurrency = v;
      return this;
    }

    /** See {@link JudgeConfig#connectTimeout()}. */
    public Builder connectTimeout(Duration v) {
      this.connectTimeout = v;
      return this;
    }

    /** See {@link JudgeConfig#requestTimeout()}. */
    public Builder requestTimeout(Duration v) {
      this.requestTimeout = v;
      return this;
    }

    /** See {@link JudgeConfig#maxAttempts()}. */
    public Builder maxAttempts(int v) {
      this.maxAttempts = v;
      return this;
    }

    /** See {@link JudgeConfig#initialBackoff()}. */
    public Builder initialBackoff(Duration v) {
      this.initialBackoff = v;
      return this;
    }

    /** See {@link JudgeConfig#maxBackoff()}. */
    public Builder maxBackoff(Duration v) {
      this.maxBackoff = v;
      return this;
    }

    /** See {@link JudgeConfig#parseAttempts()}. */
    public Builder parseAttempts(int v) {
      this.parseAttempts = v;
      return this;
    }

    /** See {@link JudgeConfig#onFailure()}. */
    public Builder onFailure(FailurePolicy v) {
      this.onFailure = v;
      return this;
    }

    /** See {@link JudgeConfig#defaultScore()}. */
    public Builder defaultScore(double v) {
      this.defaultScore = v;
      return this;
    }

    /** See {@link JudgeConfig#checkOnStart()}. */
    public Builder checkOnStart(boolean v) {
      this.checkOnStart = v;
      return this;
    }

    /** See {@link JudgeConfig#failWhenAllDefault()}. */
    public Builder failWhenAllDefault(boolean v) {
      this.failWhenAllDefault = v;
      return this;
    }

    /** Validates and builds. */
    public JudgeConfig build() {
      return new JudgeConfig(endpoint, model, apiKey, temperature, topP, topK, maxTokens, repetitionPenalty, jsonSchema,
          imageFormat, jpegQuality, maxConcurrency, connectTimeout, requestTimeout, maxAttempts, initialBackoff,
          maxBackoff, parseAttempts, onFailure, defaultScore, checkOnStart, failWhenAllDefault);
    }
  }
}
