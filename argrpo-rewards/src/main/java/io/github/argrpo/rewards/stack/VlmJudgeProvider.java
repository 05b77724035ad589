package io.github.argrpo.rewards.stack;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.rewards.judge.FailurePolicy;
import io.github.argrpo.rewards.judge.ImageFormat;
import io.github.argrpo.rewards.judge.JudgeConfig;
import io.github.argrpo.rewards.judge.JudgePrompts;
import io.github.argrpo.rewards.judge.JudgeQuestion;
import io.github.argrpo.rewards.judge.JudgeSubjects;
import io.github.argrpo.rewards.judge.VlmJudgeReward;

/**
 * The three {@code vlm_judge_*} providers: {@link VlmJudgeReward} for one {@link JudgeQuestion}, raw score
 * ({@code scale: paper} is x0.25).
 *
 * <p>Options ({@code docs/serving-vlm-judge.md}): {@code endpoint} and {@code prompts} (the prompts file)
 * required; {@code class_names} (file, needed for class-to-image); {@code model}; {@code api_key} or
 * {@code api_key_env} (the name of an environment variable holding it); {@code decoding}
 * ({@code training}, the default: {@link JudgeConfig#arGrpoTraining()}, or {@code vllm_client}:
 * {@link JudgeConfig#vllmClient()}), whose values {@code temperature}, {@code top_p}, {@code top_k},
 * {@code max_tokens} and {@code repetition_penalty} override; {@code json_schema}; {@code image_format}
 * ({@code jpeg}/{@code png}), {@code jpeg_quality}; {@code max_concurrency}; {@code connect_timeout_s},
 * {@code request_timeout_s}; {@code max_attempts}, {@code initial_backoff_ms}, {@code max_backoff_ms};
 * {@code parse_attempts}; {@code on_failure} ({@code default_score}, {@code nan}, {@code error}) and
 * {@code default_score}; {@code check_on_start} and {@code fail_when_all_default} (both true). Defaults are
 * those of {@link JudgeConfig}.
 */
public abstract class VlmJudgeProvider implements RewardProvider {

  static final Set<String> OPTIONS = Set.of("endpoint", "prompts", "class_names", "model", "api_key", "api_key_env",
      "decoding", "temperature", "top_p", "top_k", "max_tokens", "repetition_penalty", "json_schema", "image_format", "jpeg_quality", "max_concurrency",
      "connect_timeout_s", "request_timeout_s", "max_attempts", "initial_backoff_ms", "max_backoff_ms",
      "parse_attempts", "on_failure", "default_score", "check_on_start", "fail_when_all_default");

  private final JudgeQuestion question;

  /** @param question the question this provider's rewards ask */
  protected VlmJudgeProvider(JudgeQuestion question) {
    this.question = question;
  }

  @Override
  public String name() {
    return question.rewardName();
  }

  @Override
  public RewardFunction create(RewardSpec spec) {
    RewardOptions o = spec.opts().requireOnly(OPTIONS);
    JudgeConfig.Builder preset = switch (o.choice("decoding", Set.of("training", "vllm_client"), "training")) {
      case "vllm_client" -> JudgeConfig.vllmClient();
      default -> JudgeConfig.arGrpoTraining();
    };
    JudgeConfig defaults = preset.endpoint("http://localhost/v1").build();
    JudgeConfig.Builder b = defaults.toBuilder().endpoint(o.string("endpoint"))
        .model(o.string("model", defaults.model()))
        .temperature(o.doubleValue("temperature", defaults.temperature()))
        .topP(o.doubleValue("top_p", defaults.topP()))
        .topK(o.intValue("top_k", defaults.topK()))
        .maxTokens(o.intValue("max_tokens", defaults.maxTokens()))
        .repetitionPenalty(o.has("repetition_penalty")
            ? Double.valueOf(o.doubleValue("repetition_penalty", 1)) : defaults.repetitionPenalty())
        .jsonSchema(o.bool("json_schema", defaults.jsonSchema()))
        .imageFormat(ImageFormat.valueOf(o.choice("image_format", Set.of("jpeg", "png"), "jpeg").toUpperCase(Locale.ROOT)))
        .jpegQuality((float) o.doubleValue("jpeg_quality", defaults.jpegQuality()))
        .maxConcurrency(o.intValue("max_concurrency", defaults.maxConcurrency()))
        .connectTimeout(seconds(o.doubleValue("connect_timeout_s", defaults.connectTimeout().toMillis() / 1000.0)))
        .requestTimeout(seconds(o.doubleValue("request_timeout_s", defaults.requestTimeout().toMillis() / 1000.0)))
        .maxAttempts(o.intValue("max_attempts", defaults.maxAttempts()))
        .initialBackoff(Duration.ofMillis(o.longValue("initial_backoff_ms", defaults.initialBackoff().toMillis())))
        .maxBackoff(Duration.ofMillis(o.longValue("max_backoff_ms", defaults.maxBackoff().toMillis())))
        .parseAttempts(o.intValue("parse_attempts", defaults.parseAttempts()))
        .onFailure(FailurePolicy.valueOf(o.choice("on_failure", Set.of("default_score", "nan", "error"), "default_score")
            .toUpperCase(Locale.ROOT)))
        .defaultScore(o.doubleValue("default_score", defaults.defaultScore()))
        .checkOnStart(o.bool("check_on_start", defaults.checkOnStart()))
        .failWhenAllDefault(o.bool("fail_when_all_default", defaults.failWhenAllDefault()));
    checkArgument(!(o.has("api_key") && o.has("api_key_env")),
        "reward '%s': give either api_key or api_key_env, not both", name());
    if (o.has("api_key")) {
      b.apiKey(o.string("api_key"));
    } else if (o.has("api_key_env")) {
      String var = o.string("api_key_env");
      String key = System.getenv(var);
      checkArgument(key != null && !key.isBlank(),
          "reward '%s': environment variable %s (option api_key_env) is not set", name(), var);
      b.apiKey(key);
    }
    JudgePrompts prompts = JudgePrompts.load(o.existingFile("prompts"));
    JudgeSubjects subjects = o.has("class_names") ? JudgeSubjects.withClassNames(o.existingFile("class_names"))
        : JudgeSubjects.textOnly();
    return VlmJudgeReward.create(question, prompts, subjects, b.build());
  }

  private static Duration seconds(double s) {
    checkArgument(s > 0 && !Double.isInfinite(s), "timeouts must be positive numbers of seconds, got %s", s);
    return Duration.ofMillis(Math.round(s * 1000));
  }
}
