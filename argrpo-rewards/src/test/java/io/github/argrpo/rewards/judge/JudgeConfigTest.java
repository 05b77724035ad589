package io.github.argrpo.rewards.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class JudgeConfigTest {

  @Test
  void appendsTheChatPathToABaseUrlOnce() {
    assertThat(JudgeConfig.builder().endpoint("http://h:20004/v1/").build().endpoint().toString())
        .isEqualTo("http://h:20004/v1/chat/completions");
    assertThat(JudgeConfig.builder().endpoint("https://h/v1/chat/completions").build().endpoint().toString())
        .isEqualTo("https://h/v1/chat/completions");
  }

  @Test
  void defaultsToTheDecodingThePaperTrainedWith() {
    // ar-grpo.md, "Qwen2.5-VL judge": pipe(text=messages, max_new_tokens=256), no sampling arguments, so
    // Qwen2.5-VL's generation_config (top_k=1, greedy) decoded: temperature 0 and 256 tokens over the API
    JudgeConfig c = JudgeConfig.builder().endpoint("http://h/v1").build();
    assertThat(c.temperature()).isZero();
    assertThat(c.maxTokens()).isEqualTo(256);
    assertThat(c.topK()).isZero();
    assertThat(c.topP()).isEqualTo(1.0);
    assertThat(c.repetitionPenalty()).isNull();
    assertThat(JudgeConfig.arGrpoTraining().endpoint("http://h/v1").build()).isEqualTo(c);
    assertThat(c.checkOnStart()).isTrue();
    assertThat(c.failWhenAllDefault()).isTrue();
  }

  @Test
  void vllmClientPresetIsArGrpoVllmClientSampling() {
    // ar-grpo.md, "vLLM mode": temperature=0.6, top_p=0.95, top_k=10 (the client sets no max_tokens; 512 here)
    JudgeConfig c = JudgeConfig.vllmClient().endpoint("http://h/v1").build();
    assertThat(c.temperature()).isEqualTo(0.6);
    assertThat(c.topP()).isEqualTo(0.95);
    assertThat(c.topK()).isEqualTo(10);
    assertThat(c.maxTokens()).isEqualTo(512);
  }

  @Test
  void hasArGrpoClientSettings() {
    JudgeConfig c = JudgeConfig.builder().endpoint("http://h/v1").build();
    assertThat(c.model()).isEqualTo("Qwen2.5-VL-3B-Instruct");
    assertThat(c.imageFormat()).isEqualTo(ImageFormat.JPEG);
    assertThat(c.jpegQuality()).isEqualTo(0.75f);
    assertThat(c.parseAttempts()).isEqualTo(3);
    assertThat(c.onFailure()).isEqualTo(FailurePolicy.DEFAULT_SCORE);
    assertThat(c.defaultScore()).isZero();
  }

  @Test
  void neverPrintsTheApiKey() {
    assertThat(JudgeConfig.builder().endpoint("http://h/v1").apiKey("sk-123").build().toString())
        .doesNotContain("sk-123").contains("apiKey=***");
  }

  @Test
  void rejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> JudgeConfig.builder().build()).hasMessageContaining("endpoint is required");
    assertThatThrownBy(() -> JudgeConfig.builder().endpoint("ftp://h/v1").build()).hasMessageContaining("http(s)");
    assertThatThrownBy(() -> JudgeConfig.builder().endpoint("http://h/v1").model(" ").build()).hasMessageContaining("model");
    assertThatThrownBy(() -> JudgeConfig.builder().endpoint("http://h/v1").topP(0).build()).hasMessageContaining("topP must be in (0, 1], got 0.0");
    assertThatThrownBy(() -> JudgeConfig.builder().endpoint("http://h/v1").maxConcurrency(0).build()).hasMessageContaining("maxConcurrency");
    assertThatThrownBy(() -> JudgeConfig.builder().endpoint("http://h/v1").requestTimeout(Duration.ZERO).build())
        .hasMessageContaining("requestTimeout must be a positive duration");
    assertThatThrownBy(() -> JudgeConfig.builder().endpoint("http://h/v1").initialBackoff(Duration.ofSeconds(5))
        .maxBackoff(Duration.ofSeconds(1)).build()).hasMessageContaining("initialBackoff <= maxBackoff");
    assertThatThrownBy(() -> JudgeConfig.builder().endpoint("http://h/v1").jpegQuality(2f).build()).hasMessageContaining("jpegQuality");
    assertThatThrownBy(() -> JudgeConfig.builder().endpoint("http://h/v1").repetitionPenalty(0.0).build())
        .hasMessageContaining("repetitionPenalty must be finite and > 0");
  }
}
