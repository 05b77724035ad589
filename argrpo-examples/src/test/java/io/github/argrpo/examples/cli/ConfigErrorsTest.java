package io.github.argrpo.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configs and arguments end in one line naming what to fix, and exit status 2. */
class ConfigErrorsTest {

  @TempDir
  Path dir;

  @Test
  void unknownKeyIsNamed() throws Exception {
    Path config = TinyRun.write(dir, false);
    Cli.Result r = Cli.run("train", "-c", config.toString(), "--out", dir.resolve("r").toString(), "--set", "trainer.stepz=3");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errorLines()).singleElement().asString().startsWith("argrpo train: ").contains("'trainer.stepz'");
    assertThat(r.hasStackTrace()).isFalse();
  }

  @Test
  void badValueIsNamed() throws Exception {
    Path config = TinyRun.write(dir, false);
    Cli.Result r = Cli.run("train", "-c", config.toString(), "--out", dir.resolve("r").toString(), "--set", "model.gpt.preset=Q");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errorLines()).singleElement().asString().contains("model.gpt.preset").contains("'Q'");
    Cli.Result g = Cli.run("train", "-c", config.toString(), "--out", dir.resolve("r").toString(), "--set", "trainer.group_size=1");
    assertThat(g.code()).isEqualTo(2);
    assertThat(g.errorLines()).singleElement().asString().contains("group_size");
    Cli.Result rw = Cli.run("train", "-c", config.toString(), "--out", dir.resolve("r").toString(), "--set", "rewards=[{name: nosuch}]");
    assertThat(rw.code()).isEqualTo(2);
    assertThat(rw.errorLines()).singleElement().asString().contains("rewards").contains("nosuch");
  }

  @Test
  void missingConfigFileIsNamed() {
    Cli.Result r = Cli.run("train", "-c", dir.resolve("absent.yaml").toString(), "--out", dir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errorLines()).singleElement().asString().contains("absent.yaml").contains("does not exist");
  }

  @Test
  void missingRequiredOptionIsAUsageError() {
    Cli.Result r = Cli.run("train", "-c", "c2i_B_256");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--out");
  }

  @Test
  void everySubcommandHasHelp() {
    for (String[] cmd : new String[][] {{"train"}, {"sample"}, {"export"}, {"export", "adm-npz"}, {"export", "geneval"},
        {"export", "drawbench"}, {"export", "entropy"}, {"convert"}, {"bench"}}) {
      String[] args = Arrays.copyOf(cmd, cmd.length + 1);
      args[cmd.length] = "--help";
      Cli.Result r = Cli.run(args);
      assertThat(r.code()).as(String.join(" ", cmd)).isZero();
      assertThat(r.out()).as(String.join(" ", cmd)).contains("Usage: argrpo " + String.join(" ", cmd));
    }
  }

  @Test
  void benchListsAndRejectsAbsentBenchmarks() {
    Cli.Result list = Cli.run("bench", "--list");
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("gpt").contains("clip").contains("t5").doesNotContain("vq");
    Cli.Result unknown = Cli.run("bench", "nosuch");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.errorLines()).singleElement().asString().contains("unknown benchmark 'nosuch'");
    // arguments after -- reach the benchmark's main (here its preset parser rejects them)
    Cli.Result passed = Cli.run("bench", "gpt", "--", "--preset", "GPT-NOPE");
    assertThat(passed.code()).isEqualTo(2);
    assertThat(passed.errorLines()).singleElement().asString().contains("GPT-NOPE");
  }
}
