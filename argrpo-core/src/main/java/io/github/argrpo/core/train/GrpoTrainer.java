package io.github.argrpo.core.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.bytedeco.javacpp.PointerScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.distributed.DistributedContext;
import io.github.argrpo.core.distributed.DistributedGrpo;
import io.github.argrpo.core.distributed.ShardAdvantages;
import io.github.argrpo.core.grpo.AdamWGrpoOptimizer;
import io.github.argrpo.core.grpo.GroupAdvantages;
import io.github.argrpo.core.grpo.GrpoStepStats;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.image.ImageGrid;
import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;
import io.github.argrpo.core.runtime.RankDevice;
import io.github.argrpo.core.tokenizer.Tokenizer;

/**
 * The AR-GRPO training procedure (section 3.4) as a reusable loop. Each step:
 *
 * <ol>
 *   <li><b>conditions</b>: {@code conditionsPerStep} drawn from the {@link ConditionSource} with a seed
 *       derived from (run seed, step); in a data-parallel run each rank takes a contiguous share of whole
 *       groups;
 *   <li><b>generation</b>: G samples per condition from the current policy (CFG as configured), in
 *       chunks of {@code generationChunk} conditions;
 *   <li><b>evaluation</b>: each chunk is decoded and handed to the reward on a worker thread while the
 *       next chunk samples, at most {@code maxRewardsInFlight} at once (a remote judge overlaps sampling);
 *   <li><b>optimisation</b>: group advantages (rewards all-gathered across ranks) and {@code mu} passes of
 *       the GRPO objective against the frozen reference ({@link AdamWGrpoOptimizer});
 *   <li>metrics to {@code metrics.jsonl}, sample grids and {@code reward_curve.png} on schedule,
 *       checkpoints every {@code checkpointEvery} steps (rank 0 writes).
 * </ol>
 *
 * <p>The reference model is a frozen copy of the policy as given, taken before any checkpoint is
 * loaded, so a resumed run keeps the original reference. {@link #run()} resumes from the newest
 * checkpoint in the run folder: because every random choice of a step derives from (seed, step), a
 * resumed deterministic run writes the same metrics as an uninterrupted one.
 *
 * <pre>{@code
 * try (GrpoTrainer t = new GrpoTrainer(TrainerConfig.arGrpoPaper(), policy, vq, reward,
 *         ConditionSource.classes(1000), RunFolder.create(Path.of("runs/c2i")))) {
 *   t.run();
 * }
 * }</pre>
 *
 * <p>The trainer does not close the policy, tokenizer or reward it was given; it closes its reference
 * copy and optimizer.
 */
public final class GrpoTrainer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GrpoTrainer.class);
  private static final List<String> CURVES = List.of("reward_mean", "kl", "entropy");

  private final TrainerConfig config;
  private final Policy policy;
  private final Policy reference;
  private final Tokenizer tokenizer;
  private final RewardFunction reward;
  private final ConditionSource conditions;
  private final RunFolder folder;
  private final DistributedContext dist;
  private final DistributedGrpo distGrpo;
  private final AdamWGrpoOptimizer optimizer;
  private final Checkpointer checkpointer;
  private final MetricsLog metrics;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private final ExecutorService scorers;

  /** A single-process trainer. */
  public GrpoTrainer(TrainerConfig config, Policy policy, Tokenizer tokenizer, RewardFunction reward,
      ConditionSource conditions, RunFolder folder) {
    this(config, policy, tokenizer, reward, conditions, folder, DistributedContext.single());
  }

  /**
   * A trainer that is one rank of a data-parallel group ({@code conditionsPerStep} must divide by the
   * world size). Rank 0's initial weights are broadcast to every rank.
   */
  public GrpoTrainer(TrainerConfig config, Policy policy, Tokenizer tokenizer, RewardFunction reward,
      ConditionSource conditions, RunFolder folder, DistributedContext dist) {
    if (config.conditionsPerStep() % dist.worldSize() != 0) {
      throw new IllegalArgumentException("conditions_per_step (" + config.conditionsPerStep()
          + ") must be a multiple of the number of processes (" + dist.worldSize() + ") so every rank gets whole groups");
    }
    this.config = config;
    this.policy = policy;
    this.tokenizer = tokenizer;
    this.reward = reward;
    this.conditions = conditions;
    this.folder = folder;
    this.dist = dist;
    dist.broadcast(policy.trainableParameters());
    this.reference = config.grpo().needsReference() ? policy.frozenCopy() : null;
    this.distGrpo = new DistributedGrpo(dist);
    // a global optimizer-step size becomes each rank's share of it
    this.optimizer = new AdamWGrpoOptimizer(policy, distGrpo.localConfig(config.grpo()));
    this.optimizer.setGradientSynchronizer(dist.gradientSynchronizer());
    this.checkpointer = new Checkpointer(folder.checkpoints(), config.keepCheckpoints());
    this.metrics = new MetricsLog(folder.metrics());
    // daemon threads that make this rank's GPU current first (CUDA's current device is per thread)
    this.scorers = Executors.newFixedThreadPool(config.maxRewardsInFlight(), RankDevice.threadFactory("argrpo-reward"));
  }

  /** Adds a listener (progress bar, logger). */
  public GrpoTrainer addListener(TrainingListener l) {
    listeners.add(l);
    return this;
  }

  /** The optimizer (its AdamW state, learning rate). */
  public AdamWGrpoOptimizer optimizer() {
    return optimizer;
  }

  /**
   * Runs until {@code config.steps()}, resuming after the newest checkpoint in the run folder if there
   * is one. Returns the records of the steps run now.
   */
  public List<StepRecord> run() {
    int first = 1;
    Optional<Checkpointer.Saved> last = checkpointer.latest();
    if (last.isPresent()) {
      Checkpointer.Saved c = last.get();
      if (c.seed() != config.seed()) {
        LOG.warn("checkpoint {} was written with seed {}, the config says {}: the resumed run will not repeat the original",
            c.folder(), c.seed(), config.seed());
      }
      checkpointer.load(c, policy, optimizer.adamW());
      first = c.step() + 1;
      if (dist.isMain()) {
        metrics.truncateAfter(c.step());
      }
      LOG.info("resuming after step {} from {}", c.step(), c.folder());
    }
    if (dist.isMain()) {
      writeConfig();
      if (first == 1) {
        writeGrid(0);
      }
    }
    listeners.forEach(l -> l.onStart(1, config.steps()));
    List<StepRecord> out = new ArrayList<>();
    for (int step = first; step <= config.steps(); step++) {
      StepRecord r = step(step);
      out.add(r);
      boolean lastStep = step == config.steps();
      if (dist.isMain()) {
        if ((config.sampleEvery() > 0 && step % config.sampleEvery() == 0) || lastStep) {
          writeGrid(step);
          CurvePlot.write(metrics.readAll(), CURVES, folder.rewardCurve());
        }
        if ((config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0) || lastStep) {
          checkpointer.save(step, config.seed(), policy, optimizer.adamW());
        }
      }
      dist.barrier();
    }
    listeners.forEach(TrainingListener::onEnd);
    return out;
  }

  /** One GRPO step (numbered from 1); writes its metrics line on rank 0 and returns the record. */
  public StepRecord step(int step) {
    List<Condition> global = conditions.draw(config.conditionsPerStep(), Seeds.derive(config.seed(), step, 0));
    List<Condition> local = distGrpo.shard(global);
    int chunk = config.generationChunk() == 0 ? local.size() : Math.min(config.generationChunk(), local.size());

    long t0 = System.nanoTime();
    double scoringSeconds = 0;
    List<Rollouts> parts = new ArrayList<>();
    Deque<Future<Scored>> inFlight = new ArrayDeque<>();
    List<Scored> scored = new ArrayList<>();
    double samplingSeconds = 0;
    try {
      for (int c0 = 0, ci = 0; c0 < local.size(); c0 += chunk, ci++) {
        long s0 = System.nanoTime();
        Rollouts r = policy.sample(local.subList(c0, Math.min(c0 + chunk, local.size())), config.groupSize(),
            config.sampling().withSeed(Seeds.derive(config.seed(), step, 1, dist.rank(), ci)));
        parts.add(r);
        ImageBatch images;
        try (PointerScope scope = new PointerScope()) {
          images = tokenizer.decode(r.tokens());
        }
        samplingSeconds += (System.nanoTime() - s0) / 1e9;
        List<Condition> conds = r.sampleConditions();
        while (inFlight.size() >= config.maxRewardsInFlight()) {
          scored.add(await(inFlight.removeFirst()));
        }
        inFlight.add(scorers.submit(() -> {
          long q = System.nanoTime();
          try (ImageBatch im = images) {
            RewardResult res = reward.score(im, conds);
            return new Scored(res, (System.nanoTime() - q) / 1e9);
          }
        }));
      }
      long w0 = System.nanoTime();
      while (!inFlight.isEmpty()) {
        scored.add(await(inFlight.removeFirst()));
      }
      double waited = (System.nanoTime() - w0) / 1e9;
      for (Scored s : scored) {
        scoringSeconds += s.seconds;
      }
      scoringSeconds = Math.max(scoringSeconds, waited);

      double[] localRewards = scored.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.result.scores())).toArray();
      for (int i = 0; i < localRewards.length; i++) {
        if (!Double.isFinite(localRewards[i])) {
          throw new IllegalStateException("step " + step + ": the reward of sample " + i + " (" + local.get(i / config.groupSize())
              .describe() + ") is " + localRewards[i] + "; every sample needs a finite reward (check the reward's unreadable-reply policy)");
        }
      }
      // Advantages over the global batch (rewards all-gathered): exact for per-group scaling (each rank
      // holds whole groups) and required for whole-batch std scaling.
      ShardAdvantages adv = distGrpo.advantages(localRewards, config.groupSize(), config.grpo().advantages());
      double[] allRewards = adv.globalRewards();

      long o0 = System.nanoTime();
      GrpoStepStats stats;
      try (Rollouts all = Rollouts.concat(parts)) {
        stats = optimizer.optimize(all, adv.local(), localRewards, adv.zeroStdFraction(), policy, reference);
      }
      double optimizingSeconds = (System.nanoTime() - o0) / 1e9;

      Map<String, Double> m = new LinkedHashMap<>();
      m.put("reward_mean", GroupAdvantages.mean(allRewards, 0, allRewards.length));
      m.put("reward_std", GroupAdvantages.std(allRewards, 0, allRewards.length, true));
      Map<String, List<Double>> comps = new LinkedHashMap<>();
      for (Scored s : scored) {
        s.result.components().forEach((k, v) -> {
          List<Double> l = comps.computeIfAbsent(k, x -> new ArrayList<>());
          for (double d : v) {
            l.add(d);
          }
        });
      }
      Map<String, Double> local0 = new LinkedHashMap<>();
      comps.forEach((k, v) -> local0.put("reward/" + k, v.stream().filter(d -> !Double.isNaN(d)).mapToDouble(d -> d).average()
          .orElse(Double.NaN)));
      Map<String, Double> s = stats.toMetrics();
      s.remove("reward_mean");
      s.remove("reward_std");
      local0.putAll(s);
      local0.put("seconds_sampling", samplingSeconds);
      local0.put("seconds_scoring", scoringSeconds);
      local0.put("seconds_optimizing", optimizingSeconds);
      local0.put("seconds_step", (System.nanoTime() - t0) / 1e9);
      m.putAll(dist.meanOver(local0));
      StepRecord record = new StepRecord(step, m);
      if (dist.isMain()) {
        metrics.append(record);
        listeners.forEach(l -> l.onStep(record));
      }
      LOG.debug("step {}: reward {} kl {}", step, m.get("reward_mean"), m.get("kl"));
      return record;
    } finally {
      for (Future<Scored> f : inFlight) {
        f.cancel(true);
      }
      parts.forEach(Rollouts::close);
    }
  }

  private record Scored(RewardResult result, double seconds) {}

  private static Scored await(Future<Scored> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for rewards", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("reward failed: " + c, c);
    }
  }

  /** Writes the sample grid after {@code step} steps: fixed conditions and seeds, one row per condition. */
  public void writeGrid(int step) {
    List<Condition> conds = conditions.draw(config.sampleConditions(), config.sampleSeed());
    try (Rollouts r = policy.sample(conds, config.samplesPerCondition(), config.sampling().withSeed(config.sampleSeed()));
        PointerScope scope = new PointerScope();
        ImageBatch images = tokenizer.decode(r.tokens())) {
      ImageGrid.writePng(ImageGrid.of(images, config.samplesPerCondition()), folder.sampleGrid(step));
    }
  }

  private void writeConfig() {
    try {
      Files.writeString(folder.config(), config.toYaml());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + folder.config() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    scorers.shutdownNow();
    optimizer.close();
    if (reference != null) {
      reference.close();
    }
  }
}
