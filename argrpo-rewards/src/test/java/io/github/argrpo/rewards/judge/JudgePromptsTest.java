package io.github.argrpo.rewards.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.github.argrpo.core.testing.Fixtures;

class JudgePromptsTest {

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
