package io.github.argrpo.core.train;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;

import io.github.argrpo.core.config.ConfigBinding;
import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.policy.SamplingConfig;

/**
 * Settings of a GRPO training run (AR-GRPO section 3.4 and 4.1). Immutable; build with {@link #builder()},
 * start from {@link #arGrpoPaper()}, or read YAML with {@link #fromYaml(JsonNode, TrainerConfig)}.
 *
 * <p>The YAML layout is this record's: each component's {@link JsonProperty} is its key, its
 * {@link JsonPropertyDescription} the text of the option table in {@code docs/configuration.md}
 * (generated from these declarations; a test fails when the page drifts). Adding an option is adding a
 * component here (or to {@link GrpoConfig}, {@link SamplingConfig}, ...), its default in the preset,
 * and a line in the builder.
 *
 * @param steps number of GRPO steps (the c2i script stops at 400)
 * @param conditionsPerStep conditions drawn per step (paper: 8; with G = 8, a batch of 64 images)
 * @param groupSize G, samples per condition (paper: 8; TRL {@code num_generations})
 * @param seed seed of every random choice of the run; a step's draws derive from (seed, step), so a
 *     resumed run repeats the uninterrupted one
 * @param generationChunk conditions sampled per pass; 0 = all in one pass. Smaller chunks let slow
 *     rewards score one chunk while the next samples
 * @param maxRewardsInFlight reward calls running at once while sampling continues (>= 1)
 * @param sampling sampling while training (paper: temperature 1, top-k 0, top-p 1, CFG 2.0)
 * @param grpo the objective and optimizer (paper: beta 0.1, eps 0.2, AdamW 1e-5, (0.9, 0.95), wd 0.05)
 * @param checkpoint when checkpoints are written and how many are kept
 * @param samples the sample grid written during the run
 */
public record TrainerConfig(
    @JsonProperty("steps") @JsonPropertyDescription("GRPO steps of the run (the paper's c2i script stops at 400)")
    int steps,
    @JsonProperty("conditions_per_step") @JsonPropertyDescription("classes or prompts drawn per step (paper: 8; "
        + "with group_size 8 a batch of 64 images); a multiple of the process count when data-parallel")
    int conditionsPerStep,
    @JsonProperty("group_size") @JsonPropertyDescription("G, samples per condition compared in one group "
        + "(TRL num_generations), >= 2")
    int groupSize,
    @JsonProperty("seed") @JsonPropertyDescription("seed of every random choice; a step's draws derive from "
        + "(seed, step), so a resumed run repeats the uninterrupted one")
    long seed,
    @JsonProperty("generation_chunk") @JsonPropertyDescription("conditions sampled per pass, 0 = all in one pass; "
        + "smaller chunks let slow rewards score one chunk while the next samples")
    int generationChunk,
    @JsonProperty("max_rewards_in_flight") @JsonPropertyDescription("reward calls running at once while sampling "
        + "continues, >= 1")
    int maxRewardsInFlight,
    @JsonProperty("sampling") SamplingConfig sampling,
    @JsonProperty("grpo") GrpoConfig grpo,
    @JsonProperty("checkpoint") CheckpointSchedule checkpoint,
    @JsonProperty("samples") SampleGrid samples) {

  public TrainerConfig {
    checkArgument(steps >= 0, "steps must be >= 0, got %s", steps);
    checkArgument(conditionsPerStep >= 1, "conditions_per_step must be >= 1, got %s", conditionsPerStep);
    checkArgument(groupSize >= 2, "group_size must be >= 2 (GRPO compares samples within a group), got %s", groupSize);
    checkArgument(sampling != null && grpo != null, "sampling and grpo settings are required");
    checkArgument(checkpoint != null && samples != null, "checkpoint and samples settings are required");
    checkArgument(generationChunk >= 0, "generation_chunk must be >= 0 (0 = all at once), got %s", generationChunk);
    checkArgument(maxRewardsInFlight >= 1, "max_rewards_in_flight must be >= 1, got %s", maxRewardsInFlight);
  }

  /** The paper's class-to-image settings: 400 steps of 8 conditions x 8 samples, CFG 2.0, beta 0.1. */
  public static TrainerConfig arGrpoPaper() {
    return new TrainerConfig(400, 8, 8, 0L, 0, 2, SamplingConfig.arGrpo(), GrpoConfig.arGrpoPaper(),
        new CheckpointSchedule(100, 6), new SampleGrid(40, 8, 4, 1234L));
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

  /** Steps between checkpoints, 0 = only at the end ({@code checkpoint.every}). */
  public int checkpointEvery() {
    return checkpoint.every();
  }

  /** How many recent checkpoints are kept ({@code checkpoint.keep}). */
  public int keepCheckpoints() {
    return checkpoint.keep();
  }

  /** Steps between sample grids, 0 = only before and after training ({@code samples.every}). */
  public int sampleEvery() {
    return samples.every();
  }

  /** Conditions in the sample grid ({@code samples.conditions}). */
  public int sampleConditions() {
    return samples.conditions();
  }

  /** Images per condition in the sample grid ({@code samples.per_condition}). */
  public int samplesPerCondition() {
    return samples.perCondition();
  }

  /** Seed of the sample grid ({@code samples.seed}). */
  public long sampleSeed() {
    return samples.seed();
  }

  /**
   * Reads a {@code trainer} mapping over {@code base}: every key optional (the base's value where the
   * YAML is silent), unknown keys rejected with the allowed ones, values checked by the constructors.
   * The layout is the one {@link #toYaml()} writes.
   *
   * @param node the mapping (null = {@code base})
   * @throws ConfigException naming the key of an unknown key or invalid value
   */
  public static TrainerConfig fromYaml(JsonNode node, TrainerConfig base) {
    return ConfigBinding.bind(node, TrainerConfig.class, base, "");
  }

  /** Parses YAML text in the layout of {@link #toYaml()} over {@code base}. */
  public static TrainerConfig fromYaml(String yaml, TrainerConfig base) {
    return fromYaml(ConfigBinding.parse(yaml, "trainer config"), base);
  }

  /** This config as YAML, every key explicit, in the layout {@link #fromYaml} reads (a run's resolved config). */
  public String toYaml() {
    return ConfigBinding.toYaml(this);
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
      checkpointEvery = c.checkpoint.every();
      keepCheckpoints = c.checkpoint.keep();
      sampleEvery = c.samples.every();
      sampleConditions = c.samples.conditions();
      samplesPerCondition = c.samples.perCondition();
      sampleSeed = c.samples.seed();
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
      return new TrainerConfig(steps, conditionsPerStep, groupSize, seed, generationChunk, maxRewardsInFlight, sampling, grpo,
          new CheckpointSchedule(checkpointEvery, keepCheckpoints),
          new SampleGrid(sampleEvery, sampleConditions, samplesPerCondition, sampleSeed));
    }
  }
}
