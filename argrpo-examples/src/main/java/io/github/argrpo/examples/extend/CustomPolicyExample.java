package io.github.argrpo.examples.extend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.toy.PaletteTokenizer;
import io.github.argrpo.core.train.ConditionSource;
import io.github.argrpo.core.train.GrpoTrainer;
import io.github.argrpo.core.train.RunFolder;
import io.github.argrpo.core.train.StepRecord;
import io.github.argrpo.core.train.TrainerConfig;

/**
 * Tutorial 2, the training: the {@link GruPolicy} trained by the library's {@link GrpoTrainer}, with a
 * six-colour palette tokenizer and the Java reward of tutorial 1 ({@link TargetColourReward}, orange).
 * Nothing in the trainer knows about GRUs: it sees a {@code Policy}, a {@code Tokenizer} and a
 * {@code RewardFunction}. Arguments: {@code [steps] [run folder]} (defaults 60 and a temporary folder).
 * The run folder gets what every run gets (config, metrics.jsonl, curves, sample grids, checkpoints).
 */
public final class CustomPolicyExample {

  private static final Logger LOG = LoggerFactory.getLogger(CustomPolicyExample.class);

  /** Black, white, red, green, blue, orange: the target is the last. */
  static final float[][] PALETTE = {{0, 0, 0}, {1, 1, 1}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0.5f, 0}};

  /** Mean reward over the first and the last five steps of the run. */
  public record Result(double firstReward, double lastReward, List<StepRecord> steps) {}

  private CustomPolicyExample() {}

  public static void main(String[] args) {
    runExample(args);
  }

  /** Trains and returns the reward before and after. */
  public static Result runExample(String[] args) {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    Path out;
    try {
      out = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("argrpo-gru-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TrainerConfig config = TrainerConfig.builder().steps(steps).conditionsPerStep(4).groupSize(8).seed(3)
        .sampling(SamplingConfig.arGrpo())
        .grpo(GrpoConfig.builder().learningRate(0.02).beta(0.01).build())
        .checkpointEvery(0).keepCheckpoints(1).sampleEvery(0).sampleConditions(4).samplesPerCondition(4).build();
    try (GruPolicy policy = new GruPolicy(4, 16, PALETTE.length, 32, 11);
        PaletteTokenizer tokenizer = new PaletteTokenizer(PALETTE, 4);
        TargetColourReward reward = new TargetColourReward(1.0f, 0.5f, 0.0f);
        GrpoTrainer trainer = new GrpoTrainer(config, policy, tokenizer, reward, ConditionSource.classes(4), RunFolder.create(out))) {
      List<StepRecord> records = trainer.run();
      int k = Math.min(5, records.size());
      double first = records.subList(0, k).stream().mapToDouble(r -> r.get("reward_mean")).average().orElse(Double.NaN);
      double last = records.subList(records.size() - k, records.size()).stream().mapToDouble(r -> r.get("reward_mean"))
          .average().orElse(Double.NaN);
      LOG.info("GRU policy, {} GRPO steps: reward {} -> {}; run folder {}", steps, String.format(Locale.ROOT, "%.3f", first),
          String.format(Locale.ROOT, "%.3f", last), out);
      return new Result(first, last, records);
    }
  }
}
