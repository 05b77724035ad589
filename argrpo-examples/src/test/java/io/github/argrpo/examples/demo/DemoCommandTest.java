package io.github.argrpo.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardResult;
import io.github.argrpo.core.toy.PaletteTokenizer;
import io.github.argrpo.examples.Main;

/** The demo end to end with a reduced budget, and its world and reward on known pictures. */
class DemoCommandTest {

  @Test
  void theDemoRunsEndToEndAndWritesTheRunFolder(@TempDir Path dir) throws Exception {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int status;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      status = Main.run("demo", "--out", dir.toString(), "--pretrain-steps", "20", "--grpo-steps", "2", "--no-progress");
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(status).as(out).isZero();
    assertThat(out).contains("baseline reward").contains("final reward").contains("KL").contains("entropy");
    for (String f : List.of("before.png", "after.png", "config.yaml", "metrics.jsonl", "reward_curve.png", "summary.txt",
        "samples/step-000000.png", "samples/step-000002.png")) {
      assertThat(dir.resolve(f)).as(f).exists();
    }
    assertThat(Files.readAllLines(dir.resolve("metrics.jsonl"))).hasSize(2);
    assertThat(Files.list(dir.resolve("checkpoints")).count()).isPositive();
  }

  @Test
  void aMissingOutputFolderIsAOneLineUsageError() {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
      assertThat(Main.run("demo")).isEqualTo(2);
    } finally {
      System.setErr(old);
    }
    assertThat(buf.toString(StandardCharsets.UTF_8)).contains("--out");
  }

  @Test
  void theCanonicalPictureScoresOneAndNoisyOnesLess() {
    ShapeWorld world = new ShapeWorld(8);
    try (PaletteTokenizer tok = ShapeWorld.tokenizer(4)) {
      ShapeReward reward = new ShapeReward(world, tok);
      int cls = 9; // cross, green
      long[] clean = new long[64];
      long[] noisy = new long[64];
      int[] c = world.canonical(cls);
      int[] n = world.sample(cls, new SplittableRandom(1));
      for (int i = 0; i < 64; i++) {
        clean[i] = c[i];
        noisy[i] = n[i];
      }
      long[] both = new long[128];
      System.arraycopy(clean, 0, both, 0, 64);
      System.arraycopy(noisy, 0, both, 64, 64);
      try (PointerScope s = new PointerScope();
          ImageBatch images = tok.decode(Tensor.create(both, 2, 64))) {
        RewardResult r = reward.score(images, List.of(Condition.ofClass(cls), Condition.ofClass(cls)));
        assertThat(r.score(0)).isEqualTo(1.0);
        assertThat(r.components()).containsKeys("shape", "colour", "clean");
        // a different class's canonical picture is not rewarded as this one
        RewardResult other = reward.score(images, List.of(Condition.ofClass(cls + 1), Condition.ofClass(cls)));
        assertThat(other.score(0)).isLessThan(0.9);
      }
    }
  }
}
