package io.github.argrpo.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.distributed.DistributedContext;
import io.github.argrpo.core.grpo.AdvantageConfig;
import io.github.argrpo.core.grpo.AdvantageScaling;
import io.github.argrpo.core.grpo.GradientSynchronizer;
import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;
import io.github.argrpo.core.toy.PaletteTokenizer;
import io.github.argrpo.core.toy.ToyPolicy;

/** The trainer end to end on the toy policy and palette tokenizer. */
class GrpoTrainerTest {

  private static final int CLASSES = 4;
  private static final int COLOURS = 6;

  private static TrainerConfig.Builder tiny() {
    return TrainerConfig.builder().steps(6).conditionsPerStep(4).groupSize(4).seed(7)
        .sampling(SamplingConfig.arGrpo()).grpo(GrpoConfig.builder().learningRate(0.05).beta(0.02).build())
        .checkpointEvery(0).keepCheckpoints(2).sampleEvery(0).sampleConditions(2).samplesPerCondition(3);
  }

  @Test
  void aToyPolicyLearnsUnderTheTrainerAndTheRunFolderIsComplete(@TempDir Path dir) throws Exception {
    try (ToyPolicy p = new ToyPolicy(CLASSES, 16, COLOURS, 1); PaletteTokenizer tok = new PaletteTokenizer(COLOURS, 2);
        TargetColourReward r = new TargetColourReward(tok, 0);
        GrpoTrainer t = new GrpoTrainer(tiny().steps(40).sampleEvery(20).build(), p, tok, r,
            ConditionSource.classes(CLASSES), RunFolder.create(dir))) {
      List<StepRecord> recs = t.run();
      double first = recs.subList(0, 5).stream().mapToDouble(x -> x.get("reward_mean")).average().orElseThrow();
      double last = recs.subList(35, 40).stream().mapToDouble(x -> x.get("reward_mean")).average().orElseThrow();
      assertThat(last).isGreaterThan(first * 2).isGreaterThan(0.4);
      assertThat(recs.get(39).get("kl")).isPositive().isFinite();
      StepRecord any = recs.get(10);
      assertThat(any.metrics()).containsKeys("reward_mean", "reward_std", "reward/target_colour", "advantage_std", "loss", "kl",
          "clip_fraction", "ratio_mean", "entropy", "grad_norm", "zero_std_fraction", "seconds_sampling", "seconds_scoring",
          "seconds_optimizing");
      assertThat(dir.resolve("config.yaml")).exists();
      assertThat(Files.readAllLines(dir.resolve("metrics.jsonl"))).hasSize(40);
      // the library draws no plots: the programs register a listener for them (onSamplingStep)
      assertThat(dir.resolve("reward_curve.png")).doesNotExist();
      assertThat(dir.resolve("samples/step-000000.png")).exists();
      assertThat(dir.resolve("samples/step-000020.png")).exists();
      assertThat(dir.resolve("samples/step-000040.png")).exists();
      assertThat(new Checkpointer(dir.resolve("checkpoints"), 1).latest()).isPresent();
    }
  }

  private static List<Map<String, Double>> withoutTimings(List<StepRecord> rs) {
    return rs.stream().map(r -> r.metrics().entrySet().stream().filter(e -> !e.getKey().startsWith("seconds_"))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))).collect(Collectors.toList());
  }

  @Test
  void anInterruptedAndResumedRunWritesTheSameMetrics(@TempDir Path dir) {
    TrainerConfig full = tiny().steps(6).checkpointEvery(3).build();
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    try (ToyPolicy p = new ToyPolicy(CLASSES, 9, COLOURS, 3); PaletteTokenizer tok = new PaletteTokenizer(COLOURS, 2);
        TargetColourReward r = new TargetColourReward(tok, 0);
        GrpoTrainer t = new GrpoTrainer(full, p, tok, r, ConditionSource.classes(CLASSES), RunFolder.create(a))) {
      t.run();
    }
    // "killed" after step 4: checkpoint at 3, metrics written up to 4
    try (ToyPolicy p = new ToyPolicy(CLASSES, 9, COLOURS, 3); PaletteTokenizer tok = new PaletteTokenizer(COLOURS, 2);
        TargetColourReward r = new TargetColourReward(tok, 0);
        GrpoTrainer t = new GrpoTrainer(full.toBuilder().steps(3).build(), p, tok, r, ConditionSource.classes(CLASSES),
            RunFolder.create(b))) {
      t.run();
      t.step(4);
    }
    // a fresh process with the same initial weights resumes from the step-3 checkpoint
    try (ToyPolicy p = new ToyPolicy(CLASSES, 9, COLOURS, 3); PaletteTokenizer tok = new PaletteTokenizer(COLOURS, 2);
        TargetColourReward r = new TargetColourReward(tok, 0);
        GrpoTrainer t = new GrpoTrainer(full, p, tok, r, ConditionSource.classes(CLASSES), RunFolder.create(b))) {
      assertThat(t.run()).hasSize(3);
    }
    List<StepRecord> ra = new MetricsLog(a.resolve("metrics.jsonl")).readAll();
    List<StepRecord> rb = new MetricsLog(b.resolve("metrics.jsonl")).readAll();
    assertThat(rb.stream().map(StepRecord::step)).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(withoutTimings(rb)).isEqualTo(withoutTimings(ra));
  }

  /** CRC-32 over each parameter's name and its float32 values in little-endian order, worked in plain Java. */
  private static String crcOfNamesAndFloats(Map<String, Tensor> params) {
    CRC32 crc = new CRC32();
    for (Map.Entry<String, Tensor> e : params.entrySet()) {
      crc.update(e.getKey().getBytes(StandardCharsets.UTF_8));
      Tensor c = e.getValue().detach().contiguous();
      float[] f = new float[(int) c.numel()];
      c.data_ptr_float().get(f);
      ByteBuffer b = ByteBuffer.allocate(4 * f.length).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : f) {
        b.putFloat(v);
      }
      crc.update(b.array());
    }
    return String.format("%08x", crc.getValue());
  }

  @Test
  void theReferenceIsRecordedInTheCheckpointAndAResumeWithAnotherReferenceIsRefused(@TempDir Path dir) throws Exception {
    TrainerConfig cfg = tiny().steps(2).checkpointEvery(1).build();
    String initial;
    try (ToyPolicy p = new ToyPolicy(CLASSES, 4, COLOURS, 3); PaletteTokenizer tok = new PaletteTokenizer(COLOURS, 2);
        TargetColourReward r = new TargetColourReward(tok, 0)) {
      initial = crcOfNamesAndFloats(p.namedParameters());
      try (GrpoTrainer t = new GrpoTrainer(cfg, p, tok, r, ConditionSource.classes(CLASSES), RunFolder.create(dir))) {
        t.run();
      }
    }
    Checkpointer.Saved saved = new Checkpointer(dir.resolve("checkpoints"), 1).latest().orElseThrow();
    assertThat(saved.referenceFingerprint()).isEqualTo(initial);
    assertThat(Files.readString(saved.folder().resolve("trainer.json"))).contains("\"reference_fingerprint\":\"" + initial);
    // a resume whose policy (so reference) is not the one the run started from, as when model.weights
    // points at the run folder: refused before anything is loaded
    try (ToyPolicy other = new ToyPolicy(CLASSES, 4, COLOURS, 4); PaletteTokenizer tok = new PaletteTokenizer(COLOURS, 2);
        TargetColourReward r = new TargetColourReward(tok, 0);
        GrpoTrainer t = new GrpoTrainer(cfg.toBuilder().steps(3).build(), other, tok, r, ConditionSource.classes(CLASSES),
            RunFolder.create(dir))) {
      assertThatThrownBy(t::run).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("reference policy with fingerprint " + initial)
          .hasMessageContaining("model.weights must not point at the run folder");
    }
    // the original starting weights resume
    try (ToyPolicy same = new ToyPolicy(CLASSES, 4, COLOURS, 3); PaletteTokenizer tok = new PaletteTokenizer(COLOURS, 2);
        TargetColourReward r = new TargetColourReward(tok, 0);
        GrpoTrainer t = new GrpoTrainer(cfg.toBuilder().steps(3).build(), same, tok, r, ConditionSource.classes(CLASSES),
            RunFolder.create(dir))) {
      assertThat(t.run()).extracting(StepRecord::step).containsExactly(3);
    }
  }

  /**
   * Rank 0 of two, the other rank played by the collectives: its rewards are twice this rank's, its
   * ratios span [0.5, 2]; everything else it reports equals this rank's.
   */
  private static final class RankZeroOfTwo implements DistributedContext {
    @Override public int rank() { return 0; }
    @Override public int worldSize() { return 2; }
    @Override public void broadcast(List<Tensor> tensors) {}
    @Override public GradientSynchronizer gradientSynchronizer() { return GradientSynchronizer.NONE; }
    @Override public Map<String, Double> meanOver(Map<String, Double> local) { return new LinkedHashMap<>(local); }
    @Override public void barrier() {}
    @Override public void close() {}

    @Override
    public double[] allGather(double[] local) {
      double[] out = Arrays.copyOf(local, 2 * local.length);
      for (int i = 0; i < local.length; i++) {
        out[local.length + i] = local.length == 2 ? new double[] {0.5, -2.0}[i] : 2 * local[i];
      }
      return out;
    }
  }

  /** Scores image i of a call with i (0, 1, 2, 3 for the four images of rank 0). */
  private static final class IndexReward implements RewardFunction {
    @Override public String name() { return "index"; }
    @Override public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
      double[] out = new double[images.count()];
      for (int i = 0; i < out.length; i++) {
        out[i] = i;
      }
      return RewardResult.of(out);
    }
  }

  @Test
  void distributedMetricsUseTheMinimumMaximumAndPooledStdOverRanks(@TempDir Path dir) {
    // rank 0: rewards (0, 1 | 2, 3), advantages (r - group mean) = (-0.5, 0.5, -0.5, 0.5); rank 1: rewards
    // (0, 2 | 4, 6), advantages (-1, 1, -1, 1). Pooled population std sqrt((4 * 0.25 + 4 * 1) / 8).
    TrainerConfig cfg = tiny().steps(1).conditionsPerStep(4).groupSize(2).grpo(GrpoConfig.builder().beta(0)
        .advantages(new AdvantageConfig(AdvantageScaling.NONE, true, 1e-4)).build()).build();
    try (ToyPolicy p = new ToyPolicy(CLASSES, 4, COLOURS, 1); PaletteTokenizer tok = new PaletteTokenizer(COLOURS, 2);
        IndexReward r = new IndexReward();
        GrpoTrainer t = new GrpoTrainer(cfg, p, tok, r, ConditionSource.classes(CLASSES), RunFolder.create(dir),
            new RankZeroOfTwo())) {
      StepRecord rec = t.step(1);
      assertThat(rec.get("advantage_std")).isCloseTo(Math.sqrt(5.0 / 8), within(1e-12));
      assertThat(rec.get("ratio_min")).isEqualTo(0.5);
      assertThat(rec.get("ratio_max")).isEqualTo(2.0);
      assertThat(rec.get("reward_mean")).isCloseTo(18.0 / 8, within(1e-12));
    }
  }

  @Test
  void aNonFiniteRewardFailsTheStepNamingTheSample(@TempDir Path dir) {
    RewardFunction nan = new RewardFunction() {
      @Override public String name() { return "nan"; }
      @Override public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
        double[] out = new double[images.count()];
        out[2] = Double.NaN;
        return RewardResult.of(out);
      }
    };
    try (ToyPolicy p = new ToyPolicy(CLASSES, 4, COLOURS, 1); PaletteTokenizer tok = new PaletteTokenizer(COLOURS, 2);
        GrpoTrainer t = new GrpoTrainer(tiny().steps(1).build(), p, tok, nan, ConditionSource.classes(CLASSES),
            RunFolder.create(dir))) {
      assertThatThrownBy(() -> t.step(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("step 1")
          .hasMessageContaining("sample 2 on rank 0").hasMessageContaining("every sample needs a finite reward");
    }
  }

  @Test
  void slowRewardsOverlapSamplingWithABoundOnCallsInFlight(@TempDir Path dir) {
    try (ToyPolicy p = new ToyPolicy(CLASSES, 4, COLOURS, 1); PaletteTokenizer tok = new PaletteTokenizer(COLOURS, 2);
        TargetColourReward r = new TargetColourReward(tok, 60);
        GrpoTrainer t = new GrpoTrainer(tiny().steps(2).conditionsPerStep(8).generationChunk(1).maxRewardsInFlight(2).build(),
            p, tok, r, ConditionSource.classes(CLASSES), RunFolder.create(dir))) {
      t.run();
      assertThat(r.maxRunning.get()).isEqualTo(2);
    }
  }

  @Test
  void nativeMemoryStaysFlatOverManySteps(@TempDir Path dir) {
    try (ToyPolicy p = new ToyPolicy(CLASSES, 4, COLOURS, 1); PaletteTokenizer tok = new PaletteTokenizer(COLOURS, 1);
        TargetColourReward r = new TargetColourReward(tok, 0);
        GrpoTrainer t = new GrpoTrainer(tiny().steps(1000).conditionsPerStep(2).groupSize(2).build(), p, tok, r,
            ConditionSource.classes(CLASSES),
            RunFolder.create(dir))) {
      for (int s = 1; s <= 40; s++) {
        t.step(s);
      }
      System.gc();
      long warm = Pointer.physicalBytes();
      for (int s = 41; s <= 240; s++) {
        t.step(s);
      }
      System.gc();
      long after = Pointer.physicalBytes();
      // 200 steps x (4 sequences, images, log-probs): a leak of even one small tensor per step would add MBs
      assertThat(after - warm).as("resident bytes grew from %d to %d", warm, after).isLessThan(24L << 20);
    }
  }

  @Test
  void batchesThatCannotBeShardedAreRejected(@TempDir Path dir) {
    assertThatThrownBy(() -> tiny().groupSize(1).build()).hasMessageContaining("group_size must be >= 2");
  }
}
