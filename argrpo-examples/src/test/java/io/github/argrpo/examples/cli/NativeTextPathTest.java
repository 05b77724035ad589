package io.github.argrpo.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.examples.bench.T5Benchmark;
import io.github.argrpo.models.testing.TextFeatureAsserts;
import io.github.argrpo.models.testing.TinyT5;
import io.github.argrpo.models.text.PrecomputedTextFeatures;
import io.github.argrpo.models.text.T5TextEncoder;

/** {@code encode-text} and t2i runs that encode prompts with the native T5 ({@code conditions.t5}). */
class NativeTextPathTest {

  @TempDir
  Path dir;

  @Test
  void encodeTextWritesTheStoreTheEncoderWouldGive() throws Exception {
    Path t5 = TinyT5.writeFolder(dir.resolve("t5"), 8, 3);
    Path prompts = dir.resolve("prompts.txt");
    Files.write(prompts, List.of("a red cube", "two blue spheres", "a red cube"), StandardCharsets.UTF_8);
    Path out = dir.resolve("prompts.t5.safetensors");
    Cli.Result r = Cli.run("encode-text", "--t5", t5.toString(), "--prompts", prompts.toString(), "--out", out.toString(),
        "--precision", "fp32", "--store", "fp32", "--batch", "2", "--no-progress");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("wrote the features of 2 prompts");
    try (PrecomputedTextFeatures store = PrecomputedTextFeatures.open(out);
        T5TextEncoder enc = T5TextEncoder.open(t5, Precision.FP32, DeviceSpec.CPU)) {
      assertThat(store.prompts()).containsExactly("a red cube", "two blue spheres");
      assertThat(store.tokens()).isEqualTo(120);
      for (String p : store.prompts()) {
        // encode-text ran batches of 2: equal to a prompt encoded alone up to float rounding
        TextFeatureAsserts.assertClose(store.encode(p), enc.encode(p), 1e-5f);
      }
    }
  }

  @Test
  void encodeTextErrorsAreOneLine() throws Exception {
    Path t5 = TinyT5.writeFolder(dir.resolve("t5"), 8, 3);
    Path prompts = dir.resolve("p.txt");
    Files.write(prompts, List.of("a cat"), StandardCharsets.UTF_8);
    Cli.Result missing = Cli.run("encode-text", "--t5", dir.resolve("nope").toString(), "--prompts", prompts.toString(),
        "--out", dir.resolve("o.safetensors").toString(), "--no-progress");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.errorLines()).singleElement().asString().contains("nope").contains("does not exist");
    Cli.Result badPrecision = Cli.run("encode-text", "--t5", t5.toString(), "--prompts", prompts.toString(),
        "--out", dir.resolve("o.safetensors").toString(), "--precision", "fp8");
    assertThat(badPrecision.code()).isEqualTo(2);
    assertThat(badPrecision.errorLines()).singleElement().asString().contains("--precision").contains("fp8");
    assertThat(missing.hasStackTrace() || badPrecision.hasStackTrace()).isFalse();
    assertThat(dir.resolve("o.safetensors")).doesNotExist();
  }

  @Test
  void textToImageRunsEncodeAnyPromptWithConditionsT5() throws Exception {
    Path config = TinyRun.write(dir, true);
    Path t5 = TinyT5.writeFolder(dir.resolve("t5"), 8, 3);
    String[] native5 = {"--set", "conditions.features=null", "--set", "conditions.t5=" + t5, "--set", "conditions.t5_precision=fp32"};
    Path run = dir.resolve("t2i");
    Cli.Result r = Cli.run(concat(new String[] {"train", "-c", config.toString(), "--out", run.toString(), "--no-progress",
        "--set", "trainer.steps=1"}, native5));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(1);

    // a prompt that is in no store: the native encoder takes it
    Cli.Result s = Cli.run(concat(new String[] {"sample", "-c", config.toString(), "--prompt", "an unknown prompt", "-n", "2",
        "--out", dir.resolve("s").toString(), "--no-progress"}, native5));
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(dir.resolve("s/0000_01.png")).exists();

    Cli.Result both = Cli.run("sample", "-c", config.toString(), "--prompt", "x", "--out", dir.resolve("y").toString(),
        "--set", "conditions.t5=" + t5);
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.errorLines()).singleElement().asString().contains("exactly one of");

    Cli.Result wide = Cli.run(concat(new String[] {"sample", "-c", config.toString(), "--prompt", "x", "--out",
        dir.resolve("z").toString()}, new String[] {"--set", "conditions.features=null", "--set",
        "conditions.t5=" + TinyT5.writeFolder(dir.resolve("t5-16"), 16, 3)}));
    assertThat(wide.code()).isEqualTo(2);
    assertThat(wide.errorLines()).singleElement().asString().contains("conditions.t5").contains("120 x 16")
        .contains("120 x 8");
  }

  @Test
  void t5BenchmarkRunsOnATinyEncoder() {
    Cli.Result r = Cli.run("bench", "t5", "--", "--model", "tiny", "--iters", "1", "--batches", "1,2", "--threads", "1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(T5Benchmark.runExample(new String[] {"--model", "tiny", "--iters", "1",
        "--batches", "2", "--lengths", "30", "--precisions", "bf16", "--threads", "1"})).singleElement()
        .satisfies(x -> assertThat(x.promptsPerSecond()).isPositive());
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
