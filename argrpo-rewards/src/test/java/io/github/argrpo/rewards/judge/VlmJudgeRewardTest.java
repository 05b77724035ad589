package io.github.argrpo.rewards.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.github.argrpo.rewards.judge.FakeChatServer.ok;
import static io.github.argrpo.rewards.judge.FakeChatServer.reply;
import static io.github.argrpo.rewards.judge.FakeChatServer.slow;
import static io.github.argrpo.rewards.judge.FakeChatServer.status;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.testing.Fixtures;

@Timeout(30)
class VlmJudgeRewardTest {

  private FakeChatServer server;
  private ImageBatch images;

  @BeforeEach
  void start() throws Exception {
    server = new FakeChatServer();
    float[] d = new float[2 * 3 * 16 * 16];
    for (int k = 0; k < d.length; k++) {
      d[k] = (k % 7) / 7f;
    }
    images = ImageBatch.fromArray(d, 2, 16, 16);
  }

  @AfterEach
  void stop() {
    images.close();
    server.close();
  }

  private JudgeConfig.Builder cfg() {
    return JudgeConfig.builder().endpoint(server.baseUrl()).model("Qwen2.5-VL-3B-Instruct")
        .requestTimeout(Duration.ofMillis(700)).initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(40))
        .maxConcurrency(4);
  }

  private static JudgePrompts prompts() {
    return JudgePrompts.load(Fixtures.data("vlm_judge_prompts.json"));
  }

  private VlmJudgeReward judge(JudgeQuestion q, JudgeConfig c) {
    return VlmJudgeReward.create(q, prompts(), JudgeSubjects.withClassNames(List.of("tench, Tinca tinca", "goldfish")), c);
  }

  private static final List<Condition> TEXT = List.of(Condition.ofText("a red bicycle"), Condition.ofText("a cat on a mat"));

  @Test
  void sendsTheOpenAiRequestFormatAndReadsTheScores() throws Exception {
    server.otherwise(b -> ok(reply(b.at("/messages/0/content/0/text").asText().contains("red bicycle")
        ? "```json\n{\"description\": \"a bike\", \"score\": 4.5, \"explanation\": \"fine\"}\n```"
        : "{\"score\": 2,}")));
    try (VlmJudgeReward r = judge(JudgeQuestion.QUALITY, cfg().apiKey("secret").build())) {
      var result = r.score(images, TEXT);
      assertThat(result.scores()).containsExactly(4.5, 2.0);
      assertThat(result.components().get("vlm_judge_quality/unreadable")).containsExactly(0.0, 0.0);
      assertThat(r.stats().promptTokens()).isEqualTo(200);
    }
    assertThat(server.bodies()).hasSize(2);
    JsonNode body = server.bodies().get(0);
    assertThat(body.get("model").asText()).isEqualTo("Qwen2.5-VL-3B-Instruct");
    // the decoding the paper's models were trained with (ar-grpo.md: the in-process pipeline with
    // max_new_tokens=256 and Qwen2.5-VL's greedy generation_config), not the vLLM client's sampling
    assertThat(body.get("temperature").asDouble()).isEqualTo(0.0);
    assertThat(body.get("top_p").asDouble()).isEqualTo(1.0);
    assertThat(body.has("top_k")).isFalse();
    assertThat(body.get("max_tokens").asInt()).isEqualTo(256);
    assertThat(body.has("repetition_penalty")).isFalse();
    assertThat(body.has("response_format")).isFalse();
    JsonNode msg = body.at("/messages/0");
    assertThat(msg.get("role").asText()).isEqualTo("user");
    assertThat(msg.get("content")).hasSize(2);
    assertThat(msg.at("/content/0/type").asText()).isEqualTo("text");
    String text = msg.at("/content/0/text").asText();
    assertThat(text).startsWith("\nYou are given a text prompt used to generate image:").contains("<image>")
        .doesNotContain("{}");
    assertThat(msg.at("/content/1/type").asText()).isEqualTo("image_url");
    String url = msg.at("/content/1/image_url/url").asText();
    assertThat(url).startsWith("data:image/jpeg;base64,");
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1))));
    assertThat(decoded.getWidth()).isEqualTo(16);
    assertThat(server.authHeaders()).containsOnly("Bearer secret");
  }

  @Test
  void theTextsSentAreTheReferenceStringsByteForByte() throws Exception {
    // reference: the shared JSON of AR-GRPO's run-time strings; its _source says the quality text is
    // prompt.format(subject) + format_rules, i.e. the subject in place of the one "{}"
    JsonNode ref = new ObjectMapper().readTree(Files.readString(Fixtures.data("vlm_judge_prompts.json")));
    String q = ref.get("quality").asText();
    int at = q.indexOf("{}");
    String wantQuality = q.substring(0, at) + "a photo of goldfish" + q.substring(at + 2);
    try (VlmJudgeReward quality = judge(JudgeQuestion.QUALITY, cfg().maxConcurrency(1).build());
        VlmJudgeReward fake = judge(JudgeQuestion.FAKE, cfg().maxConcurrency(1).build());
        VlmJudgeReward weird = judge(JudgeQuestion.WEIRD, cfg().maxConcurrency(1).build())) {
      List<Condition> goldfish = List.of(Condition.ofClass(1), Condition.ofClass(1));
      quality.score(images, goldfish);
      fake.score(images, goldfish);
      weird.score(images, goldfish);
    }
    List<byte[]> sent = server.bodies().stream()
        .map(b -> b.at("/messages/0/content/0/text").asText().getBytes(StandardCharsets.UTF_8)).toList();
    assertThat(sent).hasSize(6);
    assertThat(sent.get(0)).isEqualTo(wantQuality.getBytes(StandardCharsets.UTF_8));
    assertThat(sent.get(2)).isEqualTo(ref.get("fake").asText().getBytes(StandardCharsets.UTF_8));
    assertThat(sent.get(4)).isEqualTo(ref.get("weird").asText().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void classConditionsBecomeAPhotoOfTheSynset() {
    try (VlmJudgeReward r = judge(JudgeQuestion.QUALITY, cfg().build())) {
      r.score(images, List.of(Condition.ofClass(0), Condition.ofClass(1)));
    }
    List<String> texts = server.bodies().stream().map(b -> b.at("/messages/0/content/0/text").asText()).toList();
    assertThat(texts).anySatisfy(t -> assertThat(t).contains("\"a photo of tench, Tinca tinca\""));
    assertThat(texts).anySatisfy(t -> assertThat(t).contains("\"a photo of goldfish\""));
  }

  @Test
  void fakeAndWeirdSendTheirOwnPromptsAndPngWhenAsked() {
    try (VlmJudgeReward fake = judge(JudgeQuestion.FAKE, cfg().imageFormat(ImageFormat.PNG).build());
        VlmJudgeReward weird = judge(JudgeQuestion.WEIRD, cfg().build())) {
      assertThat(fake.score(images, TEXT).scores()).containsExactly(1.0, 1.0);
      assertThat(weird.score(images, TEXT).scores()).containsExactly(1.0, 1.0);
    }
    List<JsonNode> b = server.bodies();
    assertThat(b.subList(0, 2)).allSatisfy(x -> {
      assertThat(x.at("/messages/0/content/0/text").asText()).contains("AI-generated");
      assertThat(x.at("/messages/0/content/1/image_url/url").asText()).startsWith("data:image/png;base64,");
    });
    assertThat(b.subList(2, 4)).allSatisfy(x -> assertThat(x.at("/messages/0/content/0/text").asText()).contains("strange feature"));
  }

  @Test
  void aTimedOutRequestIsRetriedAndThenSucceeds() {
    server.then(slow(2000, reply("{\"score\": 0}"))).otherwise(b -> ok(reply("{\"score\": 1}")));
    try (VlmJudgeReward r = judge(JudgeQuestion.FAKE, cfg().maxConcurrency(1).build())) {
      long t0 = System.nanoTime();
      assertThat(r.score(images, TEXT).scores()).containsExactly(1.0, 1.0);
      assertThat((System.nanoTime() - t0) / 1e6).isLessThan(1900); // did not wait for the slow reply
      assertThat(r.stats().retries()).isEqualTo(1);
      assertThat(r.stats().httpAttempts()).isEqualTo(3);
    }
  }

  @Test
  void aServerStallingMidBodyIsAbandonedAndRetried() {
    server.then(FakeChatServer.stall(4000, reply("{\"score\": 0}"))).otherwise(b -> ok(reply("{\"score\": 1}")));
    try (VlmJudgeReward r = judge(JudgeQuestion.FAKE, cfg().maxConcurrency(1).build())) {
      long t0 = System.nanoTime();
      assertThat(r.score(images, TEXT).scores()).containsExactly(1.0, 1.0);
      // gave up after requestTimeout (0.7 s) + 1 s grace, well before the stalled body would complete
      assertThat((System.nanoTime() - t0) / 1e6).isLessThan(3500);
      assertThat(r.stats().retries()).isEqualTo(1);
    }
  }

  @Test
  void a500IsRetriedAndThenSucceeds() {
    server.then(status(500), status(503));
    try (VlmJudgeReward r = judge(JudgeQuestion.WEIRD, cfg().maxConcurrency(1).build())) {
      assertThat(r.score(images, TEXT).scores()).containsExactly(1.0, 1.0);
      assertThat(r.stats().retries()).isEqualTo(2);
      assertThat(r.stats().failedRequests()).isZero();
    }
  }

  @Test
  void alwaysFailingGivesTheDefaultScoreAndCountsIt() {
    server.otherwise(b -> status(500));
    try (VlmJudgeReward r = judge(JudgeQuestion.FAKE, cfg().maxAttempts(2).defaultScore(0).failWhenAllDefault(false).build())) {
      var result = r.score(images, TEXT);
      assertThat(result.scores()).containsExactly(0.0, 0.0);
      assertThat(result.components().get("vlm_judge_fake/unreadable")).containsExactly(1.0, 1.0);
      assertThat(r.stats().failedRequests()).isEqualTo(2);
      assertThat(r.stats().defaulted()).isEqualTo(2);
      assertThat(r.stats().httpAttempts()).isEqualTo(4);
    }
  }

  @Test
  void alwaysFailingUnderTheErrorPolicyThrowsWithTheStatus() {
    server.otherwise(b -> status(502));
    try (VlmJudgeReward r = judge(JudgeQuestion.FAKE, cfg().maxAttempts(2).onFailure(FailurePolicy.ERROR).build())) {
      assertThatThrownBy(() -> r.score(images, TEXT)).isInstanceOf(JudgeException.class)
          .hasMessageContaining("vlm_judge_fake, image").hasMessageContaining("failed 2 attempt(s)")
          .hasMessageContaining("HTTP 502").hasMessageContaining(server.baseUrl());
    }
  }

  @Test
  void aClientErrorIsNotRetried() {
    server.otherwise(b -> status(400));
    try (VlmJudgeReward r = judge(JudgeQuestion.FAKE, cfg().onFailure(FailurePolicy.ERROR).build())) {
      assertThatThrownBy(() -> r.score(images, TEXT)).isInstanceOf(JudgeException.class)
          .hasMessageContaining("refused the request").hasMessageContaining("HTTP 400");
      assertThat(r.stats().retries()).isZero();
    }
  }

  @Test
  void malformedRepliesAreAskedAgainThenDefaultedOrNan() {
    server.then(ok(reply("I refuse to answer.")), ok("<html>not json</html>")).otherwise(b -> ok(reply("{\"score\": 7}")));
    try (VlmJudgeReward r = judge(JudgeQuestion.FAKE, cfg().maxConcurrency(1).parseAttempts(2).onFailure(FailurePolicy.NAN)
        .failWhenAllDefault(false).build())) {
      var result = r.score(images, TEXT);
      // image 0: two unreadable replies -> NaN; image 1: score 7 is outside [0, 1] twice -> NaN
      assertThat(result.scores()).containsExactly(Double.NaN, Double.NaN);
      assertThat(r.stats().unreadableReplies()).isEqualTo(4);
      assertThat(r.stats().defaulted()).isEqualTo(2);
    }
  }

  @Test
  void anUnreadableReplyThatIsAskedAgainCanSucceed() {
    server.then(ok(reply("hmm"))).otherwise(b -> ok(reply("{\"score\": 0}")));
    try (VlmJudgeReward r = judge(JudgeQuestion.WEIRD, cfg().maxConcurrency(1).build())) {
      assertThat(r.score(images, TEXT).scores()).containsExactly(0.0, 0.0);
      assertThat(r.stats().unreadableReplies()).isEqualTo(1);
      assertThat(r.stats().defaulted()).isZero();
    }
  }

  @Test
  void unreadableUnderTheErrorPolicyThrowsWithTheReply() {
    server.otherwise(b -> ok(reply("no idea")));
    try (VlmJudgeReward r = judge(JudgeQuestion.QUALITY, cfg().parseAttempts(1).onFailure(FailurePolicy.ERROR).build())) {
      assertThatThrownBy(() -> r.score(images, TEXT)).isInstanceOf(JudgeException.class)
          .hasMessageContaining("no score in [0, 5.0]").hasMessageContaining("no idea");
    }
  }

  @Test
  void concurrencyIsBounded() {
    server.otherwise(b -> slow(100, reply("{\"score\": 1}")));
    float[] d = new float[12 * 3 * 8 * 8];
    try (ImageBatch many = ImageBatch.fromArray(d, 12, 8, 8);
        VlmJudgeReward r = judge(JudgeQuestion.FAKE, cfg().maxConcurrency(3).build())) {
      assertThat(r.score(many, Collections.nCopies(12, Condition.ofText("x"))).scores()).containsOnly(1.0);
    }
    assertThat(server.maxInFlight()).isBetween(2, 3);
  }

  @Test
  void jsonSchemaIsSentWhenAsked() {
    try (VlmJudgeReward r = judge(JudgeQuestion.QUALITY, cfg().jsonSchema(true).topK(0).build())) {
      r.score(images, TEXT);
    }
    JsonNode body = server.bodies().get(0);
    assertThat(body.has("top_k")).isFalse();
    assertThat(body.at("/response_format/type").asText()).isEqualTo("json_schema");
    assertThat(body.at("/response_format/json_schema/schema/properties/score/maximum").asDouble()).isEqualTo(5.0);
  }

  @Test
  void badInputFailsBeforeAnyRequest() {
    try (VlmJudgeReward quality = judge(JudgeQuestion.QUALITY, cfg().build());
        VlmJudgeReward textOnly = VlmJudgeReward.create(JudgeQuestion.QUALITY, prompts(), JudgeSubjects.textOnly(), cfg().build())) {
      assertThatThrownBy(() -> quality.score(images, List.of(Condition.ofText("one"))))
          .hasMessageContaining("2 images but 1 conditions");
      assertThatThrownBy(() -> quality.score(images, List.of(Condition.ofClass(0), Condition.ofClass(5))))
          .hasMessageContaining("image 1").hasMessageContaining("class 5 is out of range");
      assertThatThrownBy(() -> textOnly.score(images, List.of(Condition.ofClass(0), Condition.ofClass(0))))
          .hasMessageContaining("no class names");
    }
    assertThat(server.bodies()).isEmpty();
  }

  @Test
  void anUnreachableServerIsRetriedThenDefaulted() throws Exception {
    String dead;
    try (FakeChatServer gone = new FakeChatServer()) {
      dead = gone.baseUrl();
    }
    JudgeConfig c = cfg().endpoint(dead).maxAttempts(2).checkOnStart(false).failWhenAllDefault(false).build();
    try (VlmJudgeReward r = judge(JudgeQuestion.FAKE, c)) {
      assertThat(r.score(images, TEXT).scores()).containsExactly(0.0, 0.0);
      assertThat(r.stats().failedRequests()).isEqualTo(2);
      assertThat(r.stats().retries()).isEqualTo(2);
    }
  }
}
