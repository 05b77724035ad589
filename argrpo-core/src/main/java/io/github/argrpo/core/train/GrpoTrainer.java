package io.github.argrpo.core.train;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
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
import io.github.argrpo.core.eval.HeldOutEvaluator;
import io.github.argrpo.core.eval.HeldOutGuard;
import io.github.argrpo.core.distributed.DistributedGrpo;
import io.github.argrpo.core.distributed.ShardAdvantages;
import io.github.argrpo.core.grpo.AdamWGrpoOptimizer;
import io.github.argrpo.core.grpo.GrpoOptimizer;
import io.github.argrpo.core.grpo.GrpoStepStats;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.image.ImageGrid;
import io.github.argrpo.core.image.Png;
import io.github.argrpo.core.policy.ParameterChecksums;
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
 *   <li><b>draw</b>: {@code conditionsPerStep} conditions drawn from the {@link ConditionSource} with a seed
 *       derived from (run seed, step); in a data-parallel run each rank takes a contiguous share of whole
 *       groups;
 *   <li><b>generate and score</b>: G samples per condition from the current policy (CFG as configured), in
 *       chunks of {@code generationChunk} conditions;
 *       each chunk is decoded and handed to the reward on a worker thread while the
 *       next chunk samples, at most {@code maxRewardsInFlight} at once (a remote judge overlaps sampling);
 *   <li><b>advantages</b>: rewards all-gathered across ranks (a non-finite reward on any rank fails every
 *       rank with the same message), group advantages over the global batch;
 *   <li><b>optimise</b>: {@code mu} passes of the GRPO objective against the frozen reference through the
 *       {@link GrpoOptimizer} ({@link AdamWGrpoOptimizer} unless a factory says otherwise);
 *   <li><b>record</b>: the statistics reduced over ranks ({@link DistributedGrpo#reduce}), metrics to {@code metrics.jsonl},
 *       sample grids on schedule, each followed by {@link TrainingListener#onSamplingStep} (the CLI's plots),
 *       checkpoints every {@code checkpointEvery} steps (rank 0 writes).
 * </ol>
 *
 * <p>The reference model is a frozen copy of the policy as given, taken before any checkpoint is
 * loaded, so a resumed run keeps the original reference; its fingerprint is recorded in every
 * checkpoint, and a resume whose reference differs (for example {@code model.weights} pointed at the run
 * folder instead of the pretrained weights) is refused. {@link #run()} resumes from the newest
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

  private final TrainerConfig config;
  private final Policy policy;
  private final Policy reference;
  private final Tokenizer tokenizer;
  private final RewardFunction reward;
  private final ConditionSource conditions;
  private final RunFolder folder;
  private final DistributedContext dist;
  private final DistributedGrpo distGrpo;
  private final GrpoOptimizer optimizer;
  private final String referenceFingerprint;
  private final Checkpointer checkpointer;
  private final MetricsLog metrics;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private final ExecutorService scorers;
  private HeldOutGuard heldOut;
  private String resolvedConfig;

  /** A single-process trainer. */
  public GrpoTrainer(TrainerConfig config, Policy policy, Tokenizer tokenizer, RewardFunction reward,
      ConditionSource conditions, RunFolder folder) {
    this(config, policy, tokenizer, reward, conditions, folder, DistributedContext.single());
  }

  /**
   * A trainer that is one rank of a data-parallel group ({@code conditionsPerStep} must divide by the
   * world size), with AdamW. Rank 0's initial weights are broadcast to every rank.
   */
  public GrpoTrainer(TrainerConfig config, Policy policy, Tokenizer tokenizer, RewardFunction reward,
      ConditionSource conditions, RunFolder folder, DistributedContext dist) {
    this(config, policy, tokenizer, reward, conditions, folder, dist, AdamWGrpoOptimizer::new);
  }

  /**
   * A trainer that updates the policy with the optimizer {@code optimizers} builds (from the policy and
   * this rank's share of {@code config.grpo()}); the trainer closes it.
   */
  public GrpoTrainer(TrainerConfig config, Policy policy, Tokenizer tokenizer, RewardFunction reward,
      ConditionSource conditions, RunFolder folder, DistributedContext dist, GrpoOptimizer.Factory optimizers) {
    checkArgument(config.conditionsPerStep() % dist.worldSize() == 0,
        "conditions_per_step (%s) must be a multiple of the number of processes (%s) so every rank gets whole groups",
        config.conditionsPerStep(), dist.worldSize());
    this.config = config;
    this.policy = policy;
    this.tokenizer = tokenizer;
    this.reward = reward;
    this.conditions = conditions;
    this.folder = folder;
    this.dist = dist;
    dist.broadcast(policy.trainableParameters());
    this.reference = config.grpo().needsReference() ? policy.frozenCopy() : null;
    this.referenceFingerprint = reference == null ? null : ParameterChecksums.fingerprint(reference.namedParameters());
    this.distGrpo = new DistributedGrpo(dist);
    // a global optimizer-step size becomes each rank's share of it
    this.optimizer = optimizers.create(policy, distGrpo.localConfig(config.grpo()));
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

  /**
   * Evaluates on held-out conditions on the evaluator's schedule (rank 0): the values join the step's
   * metrics as {@code eval/<key>}, and when the selected metric improves the step is checkpointed and
   * the run's {@code best} folder points at it (the guard against the reward hacking of AR-GRPO
   * section 4.3). Call before {@link #run()}.
   */
  public GrpoTrainer withHeldOutEvaluation(HeldOutEvaluator evaluator) {
    this.heldOut = evaluator == null ? null : new HeldOutGuard(evaluator, folder.root());
    return this;
  }

  /**
   * The text of the run folder's {@code config.yaml}, the run's one resolved config, in place of the
   * trainer settings alone ({@link TrainerConfig#toYaml()}, the default): the CLI passes the whole run
   * config (models, rewards, trainer, eval). Call before {@link #run()}.
   */
  public GrpoTrainer withResolvedConfig(String yaml) {
    this.resolvedConfig = yaml;
    return this;
  }

  /** The optimizer (its state, learning rate). */
  public GrpoOptimizer optimizer() {
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
      checkReference(c);
      checkpointer.load(c, policy, optimizer);
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
          if (!listeners.isEmpty()) {
            List<StepRecord> all = List.copyOf(metrics.readAll());
            int sampled = step;
            listeners.forEach(l -> l.onSamplingStep(sampled, all));
          }
        }
        boolean newBest = heldOut != null && heldOut.wantsCheckpoint(step);
        if ((config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0) || lastStep || newBest) {
          Path saved = checkpointer.save(step, config.seed(), referenceFingerprint, policy, optimizer);
          if (newBest) {
            heldOut.checkpointWritten(step, saved);
          }
        }
      }
      dist.barrier();
    }
    listeners.forEach(TrainingListener::onEnd);
    return out;
  }

  /**
   * One GRPO step (numbered from 1), in the phases of the class description: draw, generate and score,
   * advantages, optimise, record. Writes its metrics line on rank 0 and returns the record.
   */
  public StepRecord step(int step) {
    long t0 = System.nanoTime();
    List<Condition> global = draw(step);
    try (Generated g = generateAndScore(step, distGrpo.shard(global))) {
      double[] localRewards = g.rewards();
      ShardAdvantages adv = advantages(step, global, localRewards);
      long o0 = System.nanoTime();
      if (config.grpo().warmupSteps() > 0) {
        optimizer.setLearningRate(config.grpo().learningRateAt(step));
      }
      GrpoStepStats local;
      try (Rollouts all = Rollouts.concat(g.parts)) {
        local = optimizer.optimize(all, adv.local(), localRewards, adv.zeroStdFraction(), policy, reference);
      }
      double optimizingSeconds = (System.nanoTime() - o0) / 1e9;
      return record(step, distGrpo.reduce(local, adv), g, optimizingSeconds, (System.nanoTime() - t0) / 1e9);
    }
  }

  /** Draw: the step's global conditions, the same on every rank (seeded by run seed and step). */
  private List<Condition> draw(int step) {
    return conditions.draw(config.conditionsPerStep(), Seeds.derive(config.seed(), step, 0));
  }

  /**
   * Generate and score: samples this rank's conditions chunk by chunk and hands each decoded chunk to
   * the reward on a scorer thread while the next chunk samples (at most {@code maxRewardsInFlight}).
   */
  private Generated generateAndScore(int step, List<Condition> local) {
    int chunk = config.generationChunk() == 0 ? local.size() : Math.min(config.generationChunk(), local.size());
    Generated g = new Generated();
    Deque<Future<Scored>> inFlight = new ArrayDeque<>();
    try {
      for (int c0 = 0, ci = 0; c0 < local.size(); c0 += chunk, ci++) {
        long s0 = System.nanoTime();
        Rollouts r = policy.sample(local.subList(c0, Math.min(c0 + chunk, local.size())), config.groupSize(),
            config.sampling().withSeed(Seeds.derive(config.seed(), step, 1, dist.rank(), ci)));
        g.parts.add(r);
        ImageBatch images;
        try (PointerScope scope = new PointerScope()) {
          images = tokenizer.decode(r.tokens());
        }
        g.samplingSeconds += (System.nanoTime() - s0) / 1e9;
        List<Condition> conds = r.sampleConditions();
        while (inFlight.size() >= config.maxRewardsInFlight()) {
          g.scored.add(await(inFlight.removeFirst()));
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
        g.scored.add(await(inFlight.removeFirst()));
      }
      double waited = (System.nanoTime() - w0) / 1e9;
      double scoring = 0;
      for (Scored s : g.scored) {
        scoring += s.seconds;
      }
      g.scoringSeconds = Math.max(scoring, waited);
      return g;
    } catch (RuntimeException e) {
      for (Future<Scored> f : inFlight) {
        f.cancel(true);
      }
      g.close();
      throw e;
    }
  }

  /**
   * Advantages over the global batch (rewards all-gathered): exact for per-group scaling (each rank
   * holds whole groups) and required for whole-batch std scaling. The finiteness check runs on the
   * gathered rewards, so a bad reward fails every rank together.
   */
  private ShardAdvantages advantages(int step, List<Condition> global, double[] localRewards) {
    try {
      return distGrpo.advantages(localRewards, config.groupSize(), config.grpo().advantages());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("step " + step + " (conditions " + describe(global) + "): " + e.getMessage(), e);
    }
  }

  private static String describe(List<Condition> conds) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < conds.size() && i < 8; i++) {
      b.append(i == 0 ? "" : ", ").append(conds.get(i).describe());
    }
    return conds.size() > 8 ? b + ", ..." : b.toString();
  }

  /**
   * Record: the reduced statistics, the reward components and timings (averaged over ranks) as one
   * metrics line, written on rank 0 and passed to the listeners.
   */
  private StepRecord record(int step, GrpoStepStats stats, Generated g, double optimizingSeconds, double stepSeconds) {
    Map<String, Double> s = stats.toMetrics();
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("reward_mean", s.remove("reward_mean"));
    m.put("reward_std", s.remove("reward_std"));
    Map<String, Double> perRank = new LinkedHashMap<>(g.componentMeans());
    perRank.put("seconds_sampling", g.samplingSeconds);
    perRank.put("seconds_scoring", g.scoringSeconds);
    perRank.put("seconds_optimizing", optimizingSeconds);
    perRank.put("seconds_step", stepSeconds);
    Map<String, Double> averaged = dist.meanOver(perRank);
    averaged.forEach((k, v) -> {
      if (k.startsWith("reward/")) {
        m.put(k, v);
      }
    });
    m.putAll(s);
    averaged.forEach((k, v) -> {
      if (!k.startsWith("reward/")) {
        m.put(k, v);
      }
    });
    if (heldOut != null && dist.isMain()) {
      long e0 = System.nanoTime();
      Map<String, Double> ev = heldOut.evaluate(step, policy, tokenizer, config.sampling());
      if (!ev.isEmpty()) {
        m.putAll(ev);
        m.put("seconds_eval", (System.nanoTime() - e0) / 1e9);
      }
    }
    StepRecord record = new StepRecord(step, m);
    if (dist.isMain()) {
      metrics.append(record);
      listeners.forEach(l -> l.onStep(record));
    }
    LOG.debug("step {}: reward {} kl {}", step, m.get("reward_mean"), m.get("kl"));
    return record;
  }

  /**
   * Refuses a resume whose reference policy is not the one the checkpoint was trained against: the KL
   * term would silently pull towards other weights.
   */
  private void checkReference(Checkpointer.Saved c) {
    if (referenceFingerprint == null) {
      return;
    }
    if (c.referenceFingerprint() == null) {
      LOG.warn("checkpoint {} records no reference fingerprint (an older format): cannot check that the reference "
          + "policy is the one the run started with", c.folder());
    } else if (!c.referenceFingerprint().equals(referenceFingerprint)) {
      throw new IllegalStateException("checkpoint " + c.folder() + " was trained against a reference policy with "
          + "fingerprint " + c.referenceFingerprint() + ", but the policy given now (from which the reference is "
          + "copied) has fingerprint " + referenceFingerprint + ": resuming would silently change pi_ref of the KL "
          + "term. Start the policy from the pretrained weights the run began with (model.weights must not point "
          + "at the run folder), or train in a new run folder.");
    }
  }

  /** What generate-and-score produced on this rank: rollouts per chunk, reward results, timings. */
  private static final class Generated implements AutoCloseable {
    final List<Rollouts> parts = new ArrayList<>();
    final List<Scored> scored = new ArrayList<>();
    double samplingSeconds;
    double scoringSeconds;

    double[] rewards() {
      return scored.stream().flatMapToDouble(s -> Arrays.stream(s.result.scores())).toArray();
    }

    /** Mean of each reward component over this rank's samples (NaN entries, samples it skipped, left out). */
    Map<String, Double> componentMeans() {
      Map<String, List<Double>> comps = new LinkedHashMap<>();
      for (Scored s : scored) {
        s.result.components().forEach((k, v) -> {
          List<Double> l = comps.computeIfAbsent(k, x -> new ArrayList<>());
          for (double d : v) {
            l.add(d);
          }
        });
      }
      Map<String, Double> out = new LinkedHashMap<>();
      comps.forEach((k, v) -> out.put("reward/" + k, v.stream().filter(d -> !Double.isNaN(d)).mapToDouble(d -> d)
          .average().orElse(Double.NaN)));
      return out;
    }

    @Override
    public void close() {
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
      Png.writeUnchecked(ImageGrid.of(images, config.samplesPerCondition()), folder.sampleGrid(step));
    }
    if (dist.isMain()) {
      Path grid = folder.sampleGrid(step);
      listeners.forEach(l -> l.onSampleGrid(step, grid));
    }
  }

  private void writeConfig() {
    try {
      Files.writeString(folder.config(), resolvedConfig != null ? resolvedConfig : config.toYaml());
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
