package io.github.argrpo.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.examples.Main;
import io.github.argrpo.examples.bench.StepBenchmark;
import io.github.argrpo.rewards.clip.ClipConfig;
import picocli.CommandLine;

/** {@code argrpo bench step} on the tiny run config: every phase runs and is reported. */
class BenchStepTest {

  @Test
  void everyPhaseOfATinyConfigsStepIsTimedAndReported(@TempDir Path dir) throws Exception {
    Path config = TinyRun.write(dir, false);
    StepBenchmark b = new StepBenchmark();
    new CommandLine(b).parseArgs("-c", config.toString(), "--steps", "2", "--threads", "1");
    StringWriter text = new StringWriter();
    Map<String, Double> last = b.run(new PrintWriter(text, true));
    String out = text.toString();
    assertThat(last).containsKeys("sample", "decode", "reward colorfulness", "reward sharpness", "reference", "policy", "optimizer",
        "checkpoint");
    assertThat(last.values()).allMatch(s -> s > 0 && Double.isFinite(s));
    assertThat(out).contains("step 1 of 2", "step 2 of 2", "tokens/s", "images/s", "of matmul peak", "peak RSS",
        "machine peaks in fp32: matmul");
  }

  @Test
  void onlyTheChosenPhasesRun(@TempDir Path dir) throws Exception {
    Path config = TinyRun.write(dir, false);
    StepBenchmark b = new StepBenchmark();
    new CommandLine(b).parseArgs("-c", config.toString(), "--steps", "1", "--threads", "1", "--phases", "sample,decode");
    Map<String, Double> last = b.run(new PrintWriter(new StringWriter(), true));
    assertThat(last.keySet()).containsExactly("sample", "decode");
  }

  @Test
  void underLaunchEachRankTakesItsShareAndTimesTheGradientAllReduce(@TempDir Path dir) throws Exception {
    Path config = TinyRun.write(dir, false);
    StringBuilder out = new StringBuilder();
    int code = launchBenchStep(config, "2", out);
    assertThat(code).as(out.toString()).isZero();
    assertThat(out).contains("rank 0 of 2 (1 of 2 conditions)", "rank 1 of 2 (1 of 2 conditions)");
    assertThat(out.toString().lines().filter(l -> l.contains("allreduce") && l.contains(" s "))).hasSize(2);
  }

  @Test
  void conditionsThatDoNotSplitOverTheRanksAreRefusedWithTheFix(@TempDir Path dir) throws Exception {
    Path config = TinyRun.write(dir, false);
    StringBuilder out = new StringBuilder();
    assertThat(launchBenchStep(config, "3", out)).isNotZero();
    assertThat(out.toString()).contains("3 conditions per step do not split over 2 processes");
  }

  /** {@code argrpo launch --nproc 2 -- bench step} on {@code config}; the ranks' output goes to {@code out}. */
  private static int launchBenchStep(Path config, String conditions, StringBuilder out) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      return Main.run("launch", "--nproc", "2", "--threads-per-rank", "1", "--timeout-s", "120", "--max-time-s", "240",
          "--", "bench", "step", "--", "-c", config.toString(), "--steps", "1", "--threads", "1", "--conditions",
          conditions);
    } finally {
      System.setOut(old);
      out.append(buf.toString(StandardCharsets.UTF_8));
    }
  }

  @Test
  void theVisionTowerFlopCountMatchesTheHandWorkedViTB32Figure() throws Exception {
    // ViT-B/32 at 224: 50 tokens, width 768, 12 layers, MLP ratio 4:
    // 12 x (2 x 50 x 12 x 768^2 + 4 x 50^2 x 768) + 2 x 3 x 32^2 x 768 x 49 = 8.82 GFLOPs, twice the usual
    // "4.4 GFLOPs" of ViT-B/32, which counts multiply-adds (fvcore)
    double expected = 12 * (2.0 * 50 * 12 * 768 * 768 + 4.0 * 50 * 50 * 768) + 2.0 * 3 * 32 * 32 * 768 * 49;
    assertThat(expected / 2e9).isCloseTo(4.41, within(0.01));
    assertThat(benchVisionFlops(ClipConfig.vitB32())).isCloseTo(expected, within(1.0));
  }

  private static double benchVisionFlops(ClipConfig c) throws Exception {
    var m = Class.forName("io.github.argrpo.examples.bench.BenchRewards").getDeclaredMethod("visionFlops", ClipConfig.class);
    m.setAccessible(true);
    return (double) m.invoke(null, c);
  }
}
