package io.github.argrpo.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.image.Png;

/** {@code train} and {@code sample} end to end on tiny random models. */
class TrainAndSampleTest {

  @TempDir
  Path dir;

  @Test
  void trainsTwoStepsThenSamplesFromTheRunCheckpoint() throws Exception {
    Path config = TinyRun.write(dir, false);
    Path run = dir.resolve("run");
    Cli.Result r = Cli.run("train", "-c", config.toString(), "--out", run.toString(), "--no-progress");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("trained 2 steps").contains("run folder:");
    List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertThat(metrics).hasSize(2);
    assertThat(metrics.get(1)).contains("\"reward_mean\"");
    // one resolved config: the models, the rewards with their labels and every trainer default spelled out
    assertThat(Files.readString(run.resolve("config.yaml"))).startsWith("# resolved from ").contains("c2i_tiny.safetensors")
        .contains("steps: 2").contains("colorfulness").contains("label: sharpness").contains("max_rewards_in_flight: 2")
        .contains("adam_beta2: 0.95");
    assertThat(run.resolve("run.yaml")).doesNotExist();
    assertThat(run.resolve("rewards.resolved.yaml")).doesNotExist();
    assertThat(run.resolve("checkpoints/step-000002/policy.pt")).exists();

    // a second invocation resumes and has nothing left to do
    Cli.Result again = Cli.run("train", "-c", config.toString(), "--out", run.toString(), "--no-progress");
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("already reached step 2");

    Path samples = dir.resolve("samples");
    Cli.Result s = Cli.run("sample", "-c", config.toString(), "--set", "model.weights=" + run, "--classes", "1,3-4",
        "-n", "2", "--out", samples.toString(), "--grid", "--no-progress", "--seed", "7");
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.out()).contains("wrote 6 images");
    try (var files = Files.list(samples)) {
      assertThat(files.filter(p -> p.toString().endsWith(".png") && !p.endsWith("grid.png")).count()).isEqualTo(6);
    }
    assertThat(Png.read(samples.resolve("0002_01.png")).getWidth()).isEqualTo(8);
    assertThat(Files.readAllLines(samples.resolve("index.jsonl"))).hasSize(6).anyMatch(l -> l.contains("class 4"));
    // 3 rows of 2 images of 8 px with 2 px padding
    assertThat(Png.read(samples.resolve("grid.png")).getHeight()).isEqualTo(3 * 8 + 4 * 2);
  }

  @Test
  void textToImageTrainsOnPromptFeatures() throws Exception {
    Path config = TinyRun.write(dir, true);
    Path run = dir.resolve("t2i");
    Cli.Result r = Cli.run("train", "-c", config.toString(), "--out", run.toString(), "--no-progress",
        "--set", "trainer.steps=1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(1);

    Cli.Result s = Cli.run("sample", "-c", config.toString(), "--prompt", TinyRun.PROMPTS.get(2), "-n", "3",
        "--out", dir.resolve("s").toString(), "--no-progress");
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(dir.resolve("s/0000_02.png")).exists();

    Cli.Result missing = Cli.run("sample", "-c", config.toString(), "--prompt", "an unknown prompt", "--out",
        dir.resolve("x").toString(), "--no-progress");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.errorLines()).singleElement().asString().contains("no entry for prompt 'an unknown prompt'");
  }

  @Test
  void missingWeightsFileIsOneLineNamingIt() throws Exception {
    Path config = TinyRun.write(dir, false);
    Cli.Result r = Cli.run("train", "-c", config.toString(), "--out", dir.resolve("run").toString(),
        "--set", "model.weights=" + dir.resolve("nope.pt"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errorLines()).singleElement().asString().contains("model.weights").contains("nope.pt").contains("does not exist");
    assertThat(r.hasStackTrace()).isFalse();

    Cli.Result vq = Cli.run("sample", "-c", config.toString(), "--out", dir.resolve("s").toString(),
        "--set", "vq.weights=" + dir.resolve("vq_missing.pt"));
    assertThat(vq.code()).isEqualTo(2);
    assertThat(vq.errorLines()).singleElement().asString().contains("vq.weights").contains("vq_missing.pt");
  }

  @Test
  void weightsOfAnotherShapeAreOneLine() throws Exception {
    Path config = TinyRun.write(dir, false);
    Cli.Result r = Cli.run("sample", "-c", config.toString(), "--out", dir.resolve("s").toString(),
        "--set", "model.gpt.n_layer=3", "--no-progress");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errorLines()).singleElement().asString().contains("model.weights").contains("missing");
  }
}
