package io.github.argrpo.rewards.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.argrpo.core.testing.Fixtures;

class JudgePromptsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The reference strings: AR-GRPO's prompts as its code sends them (shared data, read here with Jackson). */
  private static JsonNode reference() throws IOException {
    return JSON.readTree(Files.readString(Fixtures.data("vlm_judge_prompts.json"), StandardCharsets.UTF_8));
  }

  @Test
  void theJsonPromptsAreTheReferenceStringsByteForByte() throws IOException {
    JsonNode ref = reference();
    JudgePrompts p = JudgePrompts.load(Fixtures.data("vlm_judge_prompts.json"));
    assertThat(p.quality().getBytes(StandardCharsets.UTF_8)).isEqualTo(ref.get("quality").asText().getBytes(StandardCharsets.UTF_8));
    assertThat(p.fake().getBytes(StandardCharsets.UTF_8)).isEqualTo(ref.get("fake").asText().getBytes(StandardCharsets.UTF_8));
    assertThat(p.weird().getBytes(StandardCharsets.UTF_8)).isEqualTo(ref.get("weird").asText().getBytes(StandardCharsets.UTF_8));
    // what the txt copy lost: the closing fences and the quality prompt's surrounding and inner empty lines
    assertThat(p.fake()).endsWith("}\n```\n");
    assertThat(p.quality()).startsWith("\n").endsWith("```\n").contains("(0-1 score)\n\nYour response");
  }

  @Test
  void theTextCopyStillLoadsWithTheDifferencesTheJsonFixes() throws IOException {
    JsonNode ref = reference();
    JudgePrompts txt = JudgePrompts.load(Fixtures.data("vlm_judge_prompts.txt"));
    // hand-derived from the two shared files: the txt fake/weird lack "\n```\n"; its quality lacks the
    // leading/trailing newline and the empty line before "Your response"
    assertThat(txt.fake() + "\n```\n").isEqualTo(ref.get("fake").asText());
    assertThat(txt.weird() + "\n```\n").isEqualTo(ref.get("weird").asText());
    assertThat(txt.quality()).isEqualTo(ref.get("quality").asText().strip().replace("\n\n", "\n"));
  }

  @Test
  void jsonErrorsNameTheMember() {
    assertThatThrownBy(() -> JudgePrompts.parseJson("{\"quality\": \"q {}\", \"fake\": \"f\"}"))
        .hasMessageContaining("string member 'weird'");
    assertThatThrownBy(() -> JudgePrompts.parseJson("{\"quality\": \"q {}\", \"fake\": \"f\", \"weird\": \"w\", \"wierd\": 1}"))
        .hasMessageContaining("unknown judge prompts member 'wierd'");
    assertThatThrownBy(() -> JudgePrompts.parseJson("[1]")).hasMessageContaining("must be an object");
    assertThat(JudgePrompts.parseJson("{\"_note\": 1, \"quality\": \"q {}\", \"fake\": \"f\", \"weird\": \"w\"}").fake())
        .isEqualTo("f");
  }

  @Test
  void loadsTheThreePaperPrompts() {
    JudgePrompts p = JudgePrompts.load(Fixtures.data("vlm_judge_prompts.txt"));
    assertThat(p.quality()).startsWith("You are given a text prompt used to generate image: \"{}\"")
        .contains("\"description\", \"score\", \"explanation\"").endsWith("```");
    assertThat(p.fake()).startsWith("<image>").contains("Is the image an AI-generated image?").endsWith("}");
    assertThat(p.weird()).startsWith("<image>").contains("Is there any strange feature in the image?").endsWith("}");
    // single empty lines inside a prompt are kept: none in these, but the JSON example's lines are
    assertThat(p.quality().split("\n")).hasSizeGreaterThan(15);
  }

  @Test
  void substitutesOnlyTheFirstPlaceholderLiterally() {
    JudgePrompts p = JudgePrompts.parse("Prompt: \"{}\" and {\"score\": {}}\n\n\nfake\n\n\nweird");
    assertThat(p.render(JudgeQuestion.QUALITY, "a $1 dollar {x}")).isEqualTo("Prompt: \"a $1 dollar {x}\" and {\"score\": {}}");
    assertThat(p.render(JudgeQuestion.FAKE, null)).isEqualTo("fake");
    assertThat(p.render(JudgeQuestion.WEIRD, "ignored")).isEqualTo("weird");
  }

  @Test
  void keepsSingleEmptyLinesInsideAPrompt() {
    JudgePrompts p = JudgePrompts.parse("\n\nq {}\n\nmore\n\n\n\nfake\n\n\nweird\n\n");
    assertThat(p.quality()).isEqualTo("q {}\n\nmore");
    assertThat(p.weird()).isEqualTo("weird");
  }

  @Test
  void rejectsBadFiles() {
    assertThatThrownBy(() -> JudgePrompts.parse("only {}\n\n\ntwo")).hasMessageContaining("expected 3 judge prompts")
        .hasMessageContaining("found 2");
    assertThatThrownBy(() -> JudgePrompts.parse("no placeholder\n\n\nfake\n\n\nweird")).hasMessageContaining("placeholder {}");
    assertThatThrownBy(() -> JudgePrompts.load(Path.of("/nonexistent/prompts.txt"))).hasMessageContaining("not found");
    JudgePrompts p = JudgePrompts.parse("q {}\n\n\nfake\n\n\nweird");
    assertThatThrownBy(() -> p.render(JudgeQuestion.QUALITY, "  ")).hasMessageContaining("non-empty generation prompt");
  }
}
