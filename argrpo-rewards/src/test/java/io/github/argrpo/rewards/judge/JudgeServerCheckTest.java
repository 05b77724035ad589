package io.github.argrpo.rewards.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.github.argrpo.rewards.judge.FakeChatServer.ok;
import static io.github.argrpo.rewards.judge.FakeChatServer.reply;
import static io.github.argrpo.rewards.judge.FakeChatServer.status;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.testing.Fixtures;

/**
 * A judge that is down, misnamed or unreadable must stop the run, not turn it into the paper's ablation C
 * (no realism reward) by scoring every image 0: the start-up check and the all-defaulted batch check.
 */
@Timeout(30)
class JudgeServerCheckTest {

  private static final List<Condition> TWO = List.of(Condition.ofText("a red bicycle"), Condition.ofText("a cat"));

  private FakeChatServer server;
  private ImageBatch images;

  @BeforeEach
  void start() throws Exception {
    server = new FakeChatServer();
    images = ImageBatch.fromArray(new float[2 * 3 * 8 * 8], 2, 8, 8);
  }

  @AfterEach
  void stop() {
    images.close();
    server.close();
  }

  private JudgeConfig.Builder cfg(String url) {
    return JudgeConfig.builder().endpoint(url).requestTimeout(Duration.ofMillis(700))
        .initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(20)).maxAttempts(2);
  }

  private static VlmJudgeReward judge(JudgeConfig c) {
    return VlmJudgeReward.create(JudgeQuestion.FAKE, JudgePrompts.load(Fixtures.data("vlm_judge_prompts.json")),
        JudgeSubjects.textOnly(), c);
  }

  @Test
  void aServerThatIsDownFailsAtCreationNamingUrlAndModel() throws Exception {
    String dead;
    try (FakeChatServer gone = new FakeChatServer()) {
      dead = gone.baseUrl();
    }
    assertThatThrownBy(() -> judge(cfg(dead).build())).isInstanceOf(JudgeException.class)
        .hasMessageContaining("no judge server answers at " + dead + "/models")
        .hasMessageContaining("Qwen2.5-VL-3B-Instruct").hasMessageContaining("check_on_start: false");
  }

  @Test
  void aModelTheServerDoesNotListFailsAtCreation() {
    server.serves("Qwen/Qwen2.5-VL-3B-Instruct");
    assertThatThrownBy(() -> judge(cfg(server.baseUrl()).build())).isInstanceOf(JudgeException.class)
        .hasMessageContaining("serves [Qwen/Qwen2.5-VL-3B-Instruct], not 'Qwen2.5-VL-3B-Instruct'")
        .hasMessageContaining("--served-model-name");
    assertThat(server.bodies()).isEmpty();
  }

  @Test
  void withoutAListingAWrongModelIsCaughtByOneTinyRequest() {
    // vLLM answers an unknown model with 404, other servers with 400: neither is retried
    server.serves().then(status(404));
    assertThatThrownBy(() -> judge(cfg(server.baseUrl()).model("qwen-vl").build())).isInstanceOf(JudgeException.class)
        .hasMessageContaining("refused a one-token test request for model 'qwen-vl'").hasMessageContaining("HTTP 404")
        .hasMessageContaining(server.baseUrl() + "/chat/completions");
    server.then(status(400));
    assertThatThrownBy(() -> judge(cfg(server.baseUrl()).build())).hasMessageContaining("HTTP 400");
    assertThat(server.bodies()).hasSize(2);
    assertThat(server.bodies().get(0).get("max_tokens").asInt()).isEqualTo(1);
    assertThat(server.bodies().get(0).get("model").asText()).isEqualTo("qwen-vl");
  }

  @Test
  void aServerWithoutAListingThatAnswersPasses() {
    server.serves();
    try (VlmJudgeReward r = judge(cfg(server.baseUrl()).build())) {
      assertThat(r.score(images, TWO).scores()).containsExactly(1.0, 1.0);
    }
    assertThat(server.bodies()).hasSize(3); // the probe, then the two images
  }

  @Test
  void theCheckCanBeSkipped() throws Exception {
    String dead;
    try (FakeChatServer gone = new FakeChatServer()) {
      dead = gone.baseUrl();
    }
    judge(cfg(dead).checkOnStart(false).build()).close();
    try (VlmJudgeReward r = judge(cfg(server.baseUrl()).checkOnStart(false).build())) {
      assertThat(server.modelListings()).isZero();
    }
  }

  @Test
  void aBatchInWhichEveryReplyIsUnreadableFailsTheStep() {
    server.otherwise(b -> ok(reply("I cannot help with that.")));
    try (VlmJudgeReward r = judge(cfg(server.baseUrl()).parseAttempts(2).build())) {
      assertThatThrownBy(() -> r.score(images, TWO)).isInstanceOf(JudgeException.class)
          .hasMessageContaining("all 2 images of the batch fell back to the failure value")
          .hasMessageContaining(server.baseUrl()).hasMessageContaining("'Qwen2.5-VL-3B-Instruct'")
          .hasMessageContaining("I cannot help with that.").hasMessageContaining("fail_when_all_default: false");
    }
    try (VlmJudgeReward r = judge(cfg(server.baseUrl()).parseAttempts(2).failWhenAllDefault(false).build())) {
      assertThat(r.score(images, TWO).scores()).containsExactly(0.0, 0.0);
    }
  }

  @Test
  void aServerThatGoesDownMidRunFailsTheStep() {
    try (VlmJudgeReward r = judge(cfg(server.baseUrl()).build())) {
      assertThat(r.score(images, TWO).scores()).containsExactly(1.0, 1.0);
      server.otherwise(b -> status(503));
      assertThatThrownBy(() -> r.score(images, TWO)).isInstanceOf(JudgeException.class)
          .hasMessageContaining("all 2 images").hasMessageContaining("HTTP 503");
    }
  }

  @Test
  void aPartlyReadableBatchIsScored() {
    server.then(ok(reply("no")), ok(reply("{\"score\": 1}")));
    try (VlmJudgeReward r = judge(cfg(server.baseUrl()).maxConcurrency(1).parseAttempts(1).build())) {
      var res = r.score(images, TWO);
      assertThat(res.scores()).containsExactly(0.0, 1.0);
      assertThat(res.components().get("vlm_judge_fake/unreadable")).containsExactly(1.0, 0.0);
    }
  }
}
