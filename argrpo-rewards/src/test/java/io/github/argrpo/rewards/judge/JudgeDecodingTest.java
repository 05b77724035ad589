package io.github.argrpo.rewards.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.testing.Fixtures;
import io.github.argrpo.rewards.stack.RewardSpec;
import io.github.argrpo.rewards.stack.VlmJudgeFakeProvider;

/**
 * What the {@code vlm_judge_*} options put in the request body: the {@code decoding} preset and the keys
 * that override it. Expected values from ar-grpo.md (training: temperature 0, 256 tokens; the vLLM
 * client: 0.6 / 0.95 / 10) and the option names the bundled configs use.
 */
@Timeout(30)
class JudgeDecodingTest {

  private FakeChatServer server;
  private ImageBatch images;

  @BeforeEach
  void start() throws Exception {
    server = new FakeChatServer();
    images = ImageBatch.fromArray(new float[3 * 8 * 8], 1, 8, 8);
  }

  @AfterEach
  void stop() {
    images.close();
    server.close();
  }

  private JsonNode sentWith(Map<String, Object> options) {
    RewardSpec.Builder spec = RewardSpec.builder("vlm_judge_fake").option("endpoint", server.baseUrl())
        .option("prompts", Fixtures.data("vlm_judge_prompts.json").toString());
    options.forEach(spec::option);
    try (RewardFunction r = new VlmJudgeFakeProvider().create(spec.build())) {
      r.score(images, List.of(Condition.ofText("x")));
    }
    List<JsonNode> bodies = server.bodies();
    return bodies.get(bodies.size() - 1);
  }

  @Test
  void trainingDecodingIsTheDefault() {
    JsonNode b = sentWith(Map.of());
    assertThat(b.get("temperature").asDouble()).isZero();
    assertThat(b.get("max_tokens").asInt()).isEqualTo(256);
    assertThat(b.has("top_k")).isFalse();
    assertThat(b.has("repetition_penalty")).isFalse();
  }

  @Test
  void vllmClientDecodingSendsThatClientsSampling() {
    JsonNode b = sentWith(Map.of("decoding", "vllm_client"));
    assertThat(b.get("temperature").asDouble()).isEqualTo(0.6);
    assertThat(b.get("top_p").asDouble()).isEqualTo(0.95);
    assertThat(b.get("top_k").asInt()).isEqualTo(10);
    assertThat(b.get("max_tokens").asInt()).isEqualTo(512);
  }

  @Test
  void individualKeysOverrideThePreset() {
    JsonNode b = sentWith(Map.of("decoding", "vllm_client", "top_k", 5, "max_tokens", 300, "repetition_penalty", 1.05));
    assertThat(b.get("temperature").asDouble()).isEqualTo(0.6);
    assertThat(b.get("top_k").asInt()).isEqualTo(5);
    assertThat(b.get("max_tokens").asInt()).isEqualTo(300);
    assertThat(b.get("repetition_penalty").asDouble()).isEqualTo(1.05);
    JsonNode t = sentWith(Map.of("temperature", 0.1, "repetition_penalty", 1.05));
    assertThat(t.get("temperature").asDouble()).isEqualTo(0.1);
    assertThat(t.get("max_tokens").asInt()).isEqualTo(256);
    assertThat(t.get("repetition_penalty").asDouble()).isEqualTo(1.05);
  }

  @Test
  void repetitionPenaltyIsSentOnlyWhenSet() {
    JudgeConfig c = JudgeConfig.builder().endpoint(server.baseUrl()).requestTimeout(Duration.ofSeconds(2)).build();
    try (ChatCompletionsClient client = new ChatCompletionsClient(c);
        ChatCompletionsClient penalised = new ChatCompletionsClient(c.toBuilder().repetitionPenalty(1.05).build())) {
      assertThat(client.requestBody("t", "data:,", null).has("repetition_penalty")).isFalse();
      assertThat(penalised.requestBody("t", "data:,", null).get("repetition_penalty").asDouble()).isEqualTo(1.05);
    }
  }
}
