package io.github.argrpo.examples.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.testing.Fixtures;

class PromptFileTest {

  @TempDir
  Path dir;

  @Test
  void readsTheSharedPromptSets() {
    List<String> drawbench = PromptFile.read(Fixtures.data("drawbench_prompts.txt"));
    assertThat(drawbench).hasSize(200);
    assertThat(drawbench.get(2)).isEqualTo("A pyramid made of falafel with a partial solar eclipse in the background.");
    List<String> geneval = PromptFile.read(Fixtures.data("geneval_metadata.jsonl"));
    assertThat(geneval).hasSize(553);
    assertThat(geneval.get(0)).isEqualTo("a photo of a bench");
    assertThat(PromptFile.readJsonLines(Fixtures.data("geneval_metadata.jsonl")).get(1).get("tag").asText())
        .isEqualTo("single_object");
  }

  @Test
  void readsArGrpoConversationsJson() throws Exception {
    Path f = dir.resolve("coco.json");
    Files.writeString(f, "[{\"conversations\": [{\"from\": \"human\", \"value\": \"a cat\"}]},"
        + " {\"conversations\": [{\"value\": \"a dog\"}]}]", StandardCharsets.UTF_8);
    assertThat(PromptFile.read(f)).containsExactly("a cat", "a dog");
  }

  @Test
  void namesTheFileAndLineOfABadEntry() throws Exception {
    Path f = dir.resolve("p.jsonl");
    Files.writeString(f, "{\"prompt\": \"ok\"}\n{\"tag\": \"x\"}\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> PromptFile.read(f)).isInstanceOf(ConfigException.class).hasMessageContaining("p.jsonl line 2");
    assertThatThrownBy(() -> PromptFile.read(dir.resolve("none.txt"))).hasMessageContaining("none.txt does not exist");
    Path empty = dir.resolve("e.txt");
    Files.writeString(empty, "\n \n");
    assertThatThrownBy(() -> PromptFile.read(empty)).hasMessageContaining("holds no prompt");
  }
}
