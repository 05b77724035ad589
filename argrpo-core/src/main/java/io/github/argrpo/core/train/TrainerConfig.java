package io.github.argrpo.core.train;

import java.util.Locale;

import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.config.ConfigNode;
import io.github.argrpo.core.grpo.AdvantageConfig;
import io.github.argrpo.core.grpo.AdvantageScaling;
import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.grpo.ImportanceSamplingLevel;
import io.github.argrpo.core.grpo.LossAggregation;
import io.github.argrpo.core.grpo.WeightDecayScope;
import io.github.argrpo.core.policy.LogProbSource;
import io.github.argrpo.core.policy.SamplingConfig;

/**
 * Settings of a GRPO training run (AR-GRPO section 3.4 and 4.1). Immutable; build with {@link #builder()},
 * start from {@link #arGrpoPaper()}, or read YAML with {@link #fromConfig(ConfigNode, TrainerConfig)}.
 *
 * @param steps number of GRPO steps (the c2i script stops at 400)
 * @param conditionsPerStep conditions drawn per step (paper: 8; with G = 8, a batch of 64 images)
 * @param groupSize G, samples per condition (paper: 8; TRL {@code num_generations})
 * @param seed seed of every random choice of the run; a step's draws derive from (seed, step), so a
 *     resumed run repeats the uninterrupted one
 * @param sampling sampling while training (paper: temperature 1, top-k 0, top-p 1, CFG 2.0)
 * @param grpo the objective and optimizer (paper: beta 0.1, eps 0.2, AdamW 1e-5, (0.9, 0.95), wd 0.05)
 * @param checkpointEvery steps between checkpoints, 0 = only at the end
 * @param keepCheckpoints how many recent checkpoints to keep (>= 1)
 * @param sampleEvery steps between sample grids, 0 = only before and after training
 * @param sampleConditions conditions in the sample grid (fixed for the run)
 * @param samplesPerCondition images per condition in the sample grid (one grid row each)
 * @param sampleSeed seed of the grid's conditions and samples, fixed so grids compare over time
 * @param generationChunk conditions sampled per pass; 0 = all in one pass. Smaller chunks let slow
 *     rewards score one chunk while the next samples
 * @param maxRewardsInFlight reward calls running at once while sampling continues (>= 1)
 */
public record TrainerConfig(int steps, int conditionsPerStep, int groupSize, long seed, SamplingConfig sampling,
    GrpoConfig grpo, int checkpointEvery, int keepCheckpoints, int sampleEvery, int sampleConditions,
    int samplesPerCondition, long sampleSeed, int generationChunk, int maxRewardsInFlight) {

  public TrainerConfig {
    check(steps >= 0, "steps must be >= 0, got " + steps);
    check(conditionsPerStep >= 1, "conditions_per_step must be >= 1, got " + conditionsPerStep);
    check(groupSize >= 2, "group_size must be >= 2 (GRPO compares samples within a group), got " + groupSize);
    check(sampling != null && grpo != null, "sampling and grpo settings are required");
    check(checkpointEvery >= 0, "checkpoint.every must be >= 0, got " + checkpointEvery);
    check(keepCheckpoints >= 1, "checkpoint.keep must be >= 1, got " + keepCheckpoints);
    check(sampleEvery >= 0, "samples.every must be >= 0, got " + sampleEvery);
    check(sampleConditions >= 1 && samplesPerCondition >= 1, "samples.conditions and samples.per_condition must be >= 1");
    check(generationChunk >= 0, "generation_chunk must be >= 0 (0 = all at once), got " + generationChunk);
    check(maxRewardsInFlight >= 1, "max_rewards_in_flight must be >= 1, got " + maxRewardsInFlight);
  }

  private static void check(boolean ok, String msg) {
    if (!ok) {
      throw new ConfigException(msg);
    }
  }

  /** The paper's class-to-image settings: 400 steps of 8 conditions x 8 samples, CFG 2.0, beta 0.1. */
  public static TrainerConfig arGrpoPaper() {
    return new TrainerConfig(400, 8, 8, 0L, SamplingConfig.arGrpo(), GrpoConfig.arGrpoPaper(), 100, 6, 40, 8, 4, 1234L, 0, 2);
  }

  /** A builder starting from {@link #arGrpoPaper()}. */
  public static Builder builder() {
    return new Builder(arGrpoPaper());
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Images per step, {@code conditionsPerStep * groupSize}. */
  public int batchSize() {
    return conditionsPerStep * groupSize;
  }

  /**
   * Reads a config: every key optional (defaults from {@code base}), unknown keys rejected by the
   * caller's {@link ConfigNode#finish()}. Layout:
   *
   * <pre>
   * steps: 400
   * conditions_per_step: 8
   * group_size: 8
   * seed: 0
   * generation_chunk: 0
   * max_rewards_in_flight: 2
   * sampling: {temperature: 1.0, top_k: 0, top_p: 1.0, cfg_scale: 2.0, cfg_interval: -1}
   * grpo: {beta: 0.1, epsilon_low: 0.2, epsilon_high: 0.2, delta: nan (none), iterations: 1,
   *        loss_aggregation: bnpo, scale_rewards: group, unbiased_std: true, advantage_epsilon: 1.0e-4,
   *        log_prob_source: conditional, micro_batch_size: 0, sequences_per_optimizer_step: 0,
   *        max_grad_norm: 1.0, learning_rate: 1.0e-5, adam_beta1: 0.9, adam_beta2: 0.95,
   *        adam_epsilon: 1.0e-8, weight_decay: 0.05, importance_sampling_level: token,
   *        weight_decay_scope: all}
   * checkpoint: {every: 100, keep: 6}
   * samples: {every: 40, conditions: 8, per_condition: 4, seed: 1234}
   * </pre>
   */
  public static TrainerConfig fromConfig(ConfigNode c, TrainerConfig base) {
    Builder b = base.toBuilder();
    b.steps(c.getInt("steps", base.steps))
        .conditionsPerStep(c.getInt("conditions_per_step", base.conditionsPerStep))
        .groupSize(c.getInt("group_size", base.groupSize))
        .seed(c.getLong("seed", base.seed))
        .generationChunk(c.getInt("generation_chunk", base.generationChunk))
        .maxRewardsInFlight(c.getInt("max_rewards_in_flight", base.maxRewardsInFlight));
    ConfigNode s = c.section("sampling");
    SamplingConfig sc = base.sampling;
    b.sampling(inSection("sampling", () -> new SamplingConfig(s.getDouble("temperature", sc.temperature()), s.getInt("top_k", sc.topK()),
        s.getDouble("top_p", sc.topP()), s.getDouble("cfg_scale", sc.cfgScale()), s.getInt("cfg_interval", sc.cfgInterval()),
        sc.seed())));
    ConfigNode g = c.section("grpo");
    GrpoConfig gc = base.grpo;
    AdvantageScaling scaling = parseEnum(AdvantageScaling.class, g.getString("scale_rewards", gc.advantages().scaling().name()),
        "grpo.scale_rewards");
    b.grpo(inSection("grpo", () -> new GrpoConfig(g.getDouble("beta", gc.beta()), g.getDouble("epsilon_low", gc.epsilonLow()),
        g.getDouble("epsilon_high", gc.epsilonHigh()), g.getDouble("delta", gc.delta()), g.getInt("iterations", gc.iterations()),
        parseEnum(LossAggregation.class, g.getString("loss_aggregation", gc.lossAggregation().name()), "grpo.loss_aggregation"),
        new AdvantageConfig(scaling, g.getBoolean("unbiased_std", gc.advantages().unbiasedStd()),
            g.getDouble("advantage_epsilon", gc.advantages().epsilon())),
        parseEnum(LogProbSource.class, g.getString("log_prob_source", gc.logProbSource().name()), "grpo.log_prob_source"),
        g.getInt("micro_batch_size", gc.microBatchSize()), g.getInt("sequences_per_optimizer_step", gc.sequencesPerOptimizerStep()),
        g.getDouble("max_grad_norm", gc.maxGradNorm()), g.getDouble("learning_rate", gc.learningRate()),
        g.getDouble("adam_beta1", gc.adamBeta1()), g.getDouble("adam_beta2", gc.adamBeta2()),
        g.getDouble("adam_epsilon", gc.adamEpsilon()), g.getDouble("weight_decay", gc.weightDecay()),
        parseEnum(ImportanceSamplingLevel.class, g.getString("importance_sampling_level",
            gc.importanceSamplingLevel().name()), "grpo.importance_sampling_level"),
        parseEnum(WeightDecayScope.class, g.getString("weight_decay_scope", gc.weightDecayScope().name()),
            "grpo.weight_decay_scope"))));
    ConfigNode k = c.section("checkpoint");
    b.checkpointEvery(k.getInt("every", base.checkpointEvery)).keepCheckpoints(k.getInt("keep", base.keepCheckpoints));
    ConfigNode m = c.section("samples");
    b.sampleEvery(m.getInt("every", base.sampleEvery)).sampleConditions(m.getInt("conditions", base.sampleConditions))
        .samplesPerCondition(m.getInt("per_condition", base.samplesPerCondition)).sampleSeed(m.getLong("seed", base.sampleSeed));
    return b.build();
  }

  /** Runs a section's validating constructor and prefixes its message with the section name. */
  private static <T> T inSection(String section, java.util.function.Supplier<T> make) {
    try {
      return make.get();
    } catch (ConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(section + ": " + e.getMessage(), e);
    }
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String v, String key) {
    try {
      return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      StringBuilder allowed = new StringBuilder();
      for (E x : type.getEnumConstants()) {
        allowed.append(allowed.length() == 0 ? "" : ", ").append(x.name().toLowerCase(Locale.ROOT));
      }
      throw new ConfigException(key + " must be one of " + allowed + ", got '" + v + "'");
    }
  }

  /** This config as YAML, in the layout {@link #fromConfig} reads (the resolved config of a run). */
  public String toYaml() {
    GrpoConfig g = grpo;
    return String.format(Locale.ROOT, "steps: %d%nconditions_per_step: %d%ngroup_size: %d%nseed: %d%n"
            + "generation_chunk: %d%nmax_rewards_in_flight: %d%n"
            + "sampling:%n  temperature: %s%n  top_k: %d%n  top_p: %s%n  cfg_scale: %s%n  cfg_interval: %d%n"
            + "grpo:%n  beta: %s%n  epsilon_low: %s%n  epsilon_high: %s%n  delta: %s%n  iterations: %d%n"
            + "  loss_aggregation: %s%n  scale_rewards: %s%n  unbiased_std: %s%n  advantage_epsilon: %s%n"
            + "  log_prob_source: %s%n  micro_batch_size: %d%n  sequences_per_optimizer_step: %d%n  max_grad_norm: %s%n"
            + "  learning_rate: %s%n  adam_beta1: %s%n  adam_beta2: %s%n  adam_epsilon: %s%n  weight_decay: %s%n"
            + "  importance_sampling_level: %s%n  weight_decay_scope: %s%n"
            + "checkpoint:%n  every: %d%n  keep: %d%n"
            + "samples:%n  every: %d%n  conditions: %d%n  per_condition: %d%n  seed: %d%n",
        steps, conditionsPerStep, groupSize, seed, generationChunk, maxRewardsInFlight, d(sampling.temperature()),
        sampling.topK(), d(sampling.topP()), d(sampling.cfgScale()), sampling.cfgInterval(), d(g.beta()), d(g.epsilonLow()),
        d(g.epsilonHigh()), d(g.delta()), g.iterations(), g.lossAggregation().name().toLowerCase(Locale.ROOT),
        g.advantages().scaling().name().toLowerCase(Locale.ROOT), g.advantages().unbiasedStd(), d(g.advantages().epsilon()),
        g.logProbSource().name().toLowerCase(Locale.ROOT), g.microBatchSize(), g.sequencesPerOptimizerStep(),
        d(g.maxGradNorm()), d(g.learningRate()), d(g.adamBeta1()), d(g.adamBeta2()), d(g.adamEpsilon()), d(g.weightDecay()),
        g.importanceSamplingLevel().name().toLowerCase(Locale.ROOT), g.weightDecayScope().name().toLowerCase(Locale.ROOT),
        checkpointEvery, keepCheckpoints, sampleEvery, sampleConditions, samplesPerCondition, sampleSeed);
  }

  private static String d(double v) {
    // plain words rather than YAML's .nan/.inf, which the YAML parser used here does not read as numbers
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    String s = Double.toString(v);
    return s.contains("E") ? s.replace("E", "e") : s;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private int steps;
    private int conditionsPerStep;
    private int groupSize;
    private long seed;
    private SamplingConfig sampling;
    private GrpoConfig grpo;
    private int checkpointEvery;
    private int keepCheckpoints;
    private int sampleEvery;
    private int sampleConditions;
    private int samplesPerCondition;
    private long sampleSeed;
    private int generationChunk;
    private int maxRewardsInFlight;

    private Builder(TrainerConfig c) {
      steps = c.steps;
      conditionsPerStep = c.conditionsPerStep;
      groupSize = c.groupSize;
      seed = c.seed;
      sampling = c.sampling;
      grpo = c.grpo;
      checkpointEvery = c.checkpointEvery;
      keepCheckpoints = c.keepCheckpoints;
      sampleEvery = c.sampleEvery;
      sampleConditions = c.sampleConditions;
      samplesPerCondition = c.samplesPerCondition;
      sampleSeed = c.sampleSeed;
      generationChunk = c.generationChunk;
      maxRewardsInFlight = c.maxRewardsInFlight;
    }

    public Builder steps(int v) { steps = v; return this; }
    public Builder conditionsPerStep(int v) { conditionsPerStep = v; return this; }
    public Builder groupSize(int v) { groupSize = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder sampling(SamplingConfig v) { sampling = v; return this; }
    public Builder grpo(GrpoConfig v) { grpo = v; return this; }
    public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }
    public Builder keepCheckpoints(int v) { keepCheckpoints = v; return this; }
    public Builder sampleEvery(int v) { sampleEvery = v; return this; }
    public Builder sampleConditions(int v) { sampleConditions = v; return this; }
    public Builder samplesPerCondition(int v) { samplesPerCondition = v; return this; }
    public Builder sampleSeed(long v) { sampleSeed = v; return this; }
    public Builder generationChunk(int v) { generationChunk = v; return this; }
    public Builder maxRewardsInFlight(int v) { maxRewardsInFlight = v; return this; }

    public TrainerConfig build() {
      return new TrainerConfig(steps, conditionsPerStep, groupSize, seed, sampling, grpo, checkpointEvery, keepCheckpoints,
          sampleEvery, sampleConditions, samplesPerCondition, sampleSeed, generationChunk, maxRewardsInFlight);
    }
  }
}
