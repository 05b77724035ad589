package io.github.argrpo.examples.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.eval.EvalConfig;
import io.github.argrpo.core.eval.HeldOutClasses;
import io.github.argrpo.core.eval.HeldOutEvaluator;
import io.github.argrpo.core.eval.ImageMetric;
import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.image.ImageGrid;
import io.github.argrpo.core.image.Png;
import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.toy.PaletteTokenizer;
import io.github.argrpo.core.train.ConditionSource;
import io.github.argrpo.core.train.GrpoTrainer;
import io.github.argrpo.core.train.MetricsLog;
import io.github.argrpo.core.train.MaximumLikelihoodTrainer;
import io.github.argrpo.core.train.MetricsLog;
import io.github.argrpo.core.train.RunFolder;
import io.github.argrpo.core.train.StepRecord;
import io.github.argrpo.core.train.TrainerConfig;
import io.github.argrpo.core.train.TrainingListener;
import io.github.argrpo.core.train.tensorboard.TensorBoardListener;
import io.github.argrpo.examples.plot.CurvePlotListener;
import io.github.argrpo.models.llamagen.GptConfig;
import io.github.argrpo.models.llamagen.LlamaGenPolicy;
import io.github.argrpo.weights.SafetensorsFile;
import io.github.argrpo.weights.SafetensorsWriter;

/**
 * The embedded demo: reinforcement learning visibly improving an autoregressive image model, on a
 * laptop CPU, with nothing downloaded.
 *
 * <ol>
 *   <li>A tiny model of the LlamaGen architecture (the same {@link LlamaGenPolicy} code as GPT-B..7B,
 *       a small {@link GptConfig}) is taught the {@link ShapeWorld} by maximum likelihood on imperfect
 *       renderings (shifted, resized, miscoloured, noisy, sometimes the wrong shape).
 *   <li>{@code before.png}: a grid of its samples for fixed classes and seeds; the baseline reward.
 *   <li>GRPO ({@link GrpoTrainer}, the paper's objective: G = 8, CFG 2.0 while sampling, clipped surrogate,
 *       k3 KL to the frozen pretrained model) against {@link ShapeReward}.
 *   <li>{@code after.png}: the same classes and seeds; the final reward, KL and entropy.
 * </ol>
 *
 * <p>A demo that was stopped resumes: the pretrained policy is kept in the run folder
 * ({@code pretrained.safetensors}, with the settings that produced it in its metadata) and reused when
 * the settings match, so the maximum-likelihood phase is not repeated, and GRPO continues after its
 * newest checkpoint. The summary's entropies and KL come from {@code metrics.jsonl}, which holds every
 * step of the run, not only those of the last invocation.
 */
public final class ShapeWorldDemo {

  private static final Logger LOG = LoggerFactory.getLogger(ShapeWorldDemo.class);
  /** Tokens per image side: 8 x 8 = 64 tokens. */
  static final int GRID = 8;
  /** Pixels per token side: 64 x 64 px images. */
  static final int PATCH = 8;
  /** The pretrained policy in the run folder. */
  static final String PRETRAINED = "pretrained.safetensors";
  /** The safetensors metadata key holding the settings the pretrained policy came from. */
  static final String PRETRAINING_KEY = "argrpo.demo.pretraining";

  private ShapeWorldDemo() {}

  /** The tiny LlamaGen configuration of the demo (c2i, 16 classes, 8-colour codebook, 64 tokens). */
  public static GptConfig modelConfig() {
    return GptConfig.builder().c2i().dim(64).nLayer(3).nHead(4).vocabSize(ShapeWorld.COLOURS).blockSize(GRID * GRID)
        .clsTokenNum(1).numClasses(ShapeWorld.numClasses()).classDropoutProb(0.1).dropout(0.0).build();
  }

  /** Runs the demo; {@code listener} sees every GRPO step (a progress bar). */
  public static DemoSummary run(DemoOptions o, TrainingListener listener) {
    NativeRuntime.init();
    long start = System.nanoTime();
    ShapeWorld world = new ShapeWorld(GRID);
    RunFolder folder = RunFolder.create(o.out());
    torch.manual_seed(o.seed());
    try (PaletteTokenizer tok = ShapeWorld.tokenizer(PATCH); LlamaGenPolicy policy = LlamaGenPolicy.create(modelConfig(),
        DeviceSpec.CPU)) {
      Path pretrained = folder.root().resolve(PRETRAINED);
      int pretrainStepsRun = 0;
      if (!reusePretrained(policy, pretrained, pretrainingSettings(o))) {
        pretrain(policy, world, o);
        pretrainStepsRun = o.pretrainSteps();
        savePretrained(policy, pretrained, pretrainingSettings(o));
      }
      ShapeReward reward = new ShapeReward(world, tok);
      SamplingConfig sampling = SamplingConfig.arGrpo().withCfgScale(o.cfgScale());
      double baseline = evaluate(policy, tok, reward, sampling, o);
      writeGrid(policy, tok, sampling, folder.root().resolve("before.png"));
      LOG.info("pretrained: mean reward {}", baseline);

      TrainerConfig cfg = TrainerConfig.builder().steps(o.grpoSteps()).conditionsPerStep(o.conditionsPerStep())
          .groupSize(o.groupSize()).seed(o.seed()).sampling(sampling)
          .grpo(GrpoConfig.builder().learningRate(o.learningRate()).beta(o.beta()).weightDecay(0.0).build())
          .checkpointEvery(Math.max(1, o.grpoSteps() / 2)).keepCheckpoints(2).sampleEvery(Math.max(1, o.grpoSteps() / 4))
          .sampleConditions(8).samplesPerCondition(4).sampleSeed(1234).build();
      RewardFunction trainingReward = o.hackable() ? new ColourOnlyReward(reward) : reward;
      HeldOutClasses split = new HeldOutClasses(ShapeWorld.numClasses(), o.hackable() ? HELD_OUT : List.of());
      try (GrpoTrainer trainer = new GrpoTrainer(cfg, policy, tok, trainingReward, split.trainingSource(), folder)) {
        if (listener != null) {
          trainer.addListener(listener);
        }
        trainer.addListener(new CurvePlotListener(folder));
        if (o.hackable()) {
          // every class of the held-out diagonal (each shape and each colour once), fixed seeds, scored by
          // the full reward; best/ follows its shape correctness
          trainer.withHeldOutEvaluation(new HeldOutEvaluator(
              new EvalConfig(Math.max(1, o.grpoSteps() / 40), 8, 2024L, "shape_world/shape", true, 0),
              split.heldOutConditions(), List.of(ImageMetric.meanOf(reward))));
        }
        try (TensorBoardListener tensorboard = new TensorBoardListener(folder)) {
          trainer.addListener(tensorboard);
          trainer.run();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open a TensorBoard event file in " + folder.root() + ": " + e.getMessage(), e);
      }
      double finalReward = evaluate(policy, tok, reward, sampling, o);
      writeGrid(policy, tok, sampling, folder.root().resolve("after.png"));
      // the whole run's steps, also those of an earlier invocation that this one resumed
      List<StepRecord> steps = new MetricsLog(folder.metrics()).readAll();
      double kl = steps.isEmpty() ? 0 : steps.get(steps.size() - 1).get("kl");
      double e0 = steps.isEmpty() ? Double.NaN : steps.get(0).get("entropy");
      double e1 = steps.isEmpty() ? Double.NaN : steps.get(steps.size() - 1).get("entropy");
      DemoSummary s = new DemoSummary(baseline, finalReward, kl, e0, e1, (System.nanoTime() - start) / 1e9,
          pretrainStepsRun);
      try {
        Files.writeString(folder.root().resolve("summary.txt"), s.describe() + System.lineSeparator());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return s;
    }
  }

  /**
   * What determines the pretrained weights: the model, the seed (initialisation and data) and the
   * pretraining budget. A kept policy is reused only when its recorded settings are these.
   */
  static String pretrainingSettings(DemoOptions o) {
    return "v1 seed=" + o.seed() + " steps=" + o.pretrainSteps() + " batch=" + o.pretrainBatch() + " lr="
        + o.pretrainLearningRate() + " model=" + modelConfig();
  }

  /** Loads the kept pretrained policy when it exists and was made with {@code settings}. */
  private static boolean reusePretrained(LlamaGenPolicy policy, Path file, String settings) {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      String recorded = f.metadata().get(PRETRAINING_KEY);
      if (!settings.equals(recorded)) {
        LOG.warn("{} was pretrained with other settings ({}, now {}): pretraining again and replacing it", file,
            recorded, settings);
        return false;
      }
      policy.loadWeights(f);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot reuse {} ({}): pretraining again and replacing it", file, e.getMessage());
      return false;
    }
    // as after pretraining, which leaves the policy in eval mode
    policy.setTraining(false);
    LOG.info("reusing the pretrained policy {} (maximum-likelihood phase skipped)", file);
    return true;
  }

  private static void savePretrained(LlamaGenPolicy policy, Path file, String settings) {
    try {
      SafetensorsWriter.write(file, policy.stateDict(), Map.of(PRETRAINING_KEY, settings));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the pretrained policy " + file + ": " + e.getMessage(), e);
    }
  }

  /** Teaches the policy the imperfect world by maximum likelihood. */
  static void pretrain(Policy policy, ShapeWorld world, DemoOptions o) {
    SplittableRandom r = new SplittableRandom(o.seed() ^ 0x5eedL);
    int l = GRID * GRID;
    try (MaximumLikelihoodTrainer mle = new MaximumLikelihoodTrainer(policy, o.pretrainLearningRate(), 0.0, 1.0)) {
      for (int step = 1; step <= o.pretrainSteps(); step++) {
        List<Condition> conds = new ArrayList<>(o.pretrainBatch());
        long[] tokens = new long[o.pretrainBatch() * l];
        for (int i = 0; i < o.pretrainBatch(); i++) {
          int c = r.nextInt(ShapeWorld.numClasses());
          conds.add(Condition.ofClass(c));
          int[] img = world.sample(c, r);
          for (int k = 0; k < l; k++) {
            tokens[i * l + k] = img[k];
          }
        }
        try (PointerScope s = new PointerScope()) {
          double nll = mle.step(conds, Tensor.create(tokens, o.pretrainBatch(), l));
          if (step % 100 == 0 || step == o.pretrainSteps()) {
            LOG.info("pretraining step {}/{}: nll {}", step, o.pretrainSteps(), String.format("%.4f", nll));
          }
        }
      }
    }
  }

  /** Mean reward over every class, {@code evalSamplesPerClass} samples each, fixed seed. */
  static double evaluate(Policy policy, PaletteTokenizer tok, ShapeReward reward, SamplingConfig sampling, DemoOptions o) {
    List<Condition> all = new ArrayList<>();
    for (int c = 0; c < ShapeWorld.numClasses(); c++) {
      all.add(Condition.ofClass(c));
    }
    try (Rollouts r = policy.sample(all, o.evalSamplesPerClass(), sampling.withSeed(987_654_321L));
        PointerScope s = new PointerScope();
        ImageBatch images = tok.decode(r.tokens())) {
      RewardResult res = reward.score(images, r.sampleConditions());
      double sum = 0;
      for (double v : res.scores()) {
        sum += v;
      }
      return sum / res.size();
    }
  }

  /** Held out of training by {@code --hackable}: one class per shape and per colour (the diagonal). */
  static final List<Integer> HELD_OUT = List.of(0, 5, 10, 15);

  /** Classes of the before/after grids: every shape twice, every colour twice. */
  static final int[] GRID_CLASSES = {0, 5, 10, 15, 3, 6, 9, 12};

  /** The {@link #GRID_CLASSES}, four samples each (one row per class), fixed seeds. */
  static void writeGrid(Policy policy, PaletteTokenizer tok, SamplingConfig sampling, Path file) {
    List<Condition> conds = new ArrayList<>();
    for (int c : GRID_CLASSES) {
      conds.add(Condition.ofClass(c));
    }
    try (Rollouts r = policy.sample(conds, 4, sampling.withSeed(4242));
        PointerScope s = new PointerScope();
        ImageBatch images = tok.decode(r.tokens())) {
      Png.writeUnchecked(ImageGrid.of(images, 4), file);
    }
  }
}
