package io.github.argrpo.core.policy;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * How a policy samples image tokens: LlamaGen's {@code sample()} and {@code generate()} options.
 *
 * <p>Each token's logits are, in order: mixed by classifier-free guidance
 * {@code uncond + (cond - uncond) * cfgScale} (when {@code cfgScale > 1}), divided by
 * {@code temperature}, filtered by top-k (ties with the k-th value kept) and top-p, then sampled.
 *
 * @param temperature logits divisor, {@code > 0} (paper and LlamaGen default: 1.0)
 * @param topK keep only the k most likely tokens, {@code 0} = off (paper: 0; LlamaGen scripts: 2000)
 * @param topP nucleus mass in {@code (0, 1]}, {@code 1} = off (paper: 1.0)
 * @param cfgScale classifier-free guidance scale, {@code >= 1}; {@code 1} runs the conditional branch
 *     alone (paper: 2.0 while sampling; LlamaGen c2i scripts: 4.0)
 * @param cfgInterval LlamaGen's {@code cfg_interval}: image tokens {@code 0 .. cfgInterval + 1} are
 *     guided, later ones use the conditional logits alone (the reference guides the prefill token and
 *     then decode iterations {@code i <= cfg_interval}, which produce token {@code i + 1});
 *     {@code -1} = guidance on every token
 * @param seed seed of the sampling generator; equal seeds and inputs give equal samples
 */
public record SamplingConfig(
    @JsonProperty("temperature") @JsonPropertyDescription("logits divisor, > 0") double temperature,
    @JsonProperty("top_k") @JsonPropertyDescription("keep the k most likely tokens, 0 = off (LlamaGen scripts: 2000)")
    int topK,
    @JsonProperty("top_p") @JsonPropertyDescription("nucleus mass in (0, 1], 1 = off") double topP,
    @JsonProperty("cfg_scale") @JsonPropertyDescription("classifier-free guidance scale, >= 1; 1 = the conditional "
        + "branch alone (paper: 2.0 while training; LlamaGen c2i scripts: 4.0)")
    double cfgScale,
    @JsonProperty("cfg_interval") @JsonPropertyDescription("LlamaGen's cfg_interval: image tokens 0 .. cfg_interval + 1 "
        + "are guided, later ones conditional only; -1 = every token")
    int cfgInterval,
    // derived per step from the trainer's seed, never read from a file
    @JsonIgnore long seed) {

  public SamplingConfig {
    checkArgument(temperature > 0 && Double.isFinite(temperature), "temperature must be > 0, got %s", temperature);
    checkArgument(topK >= 0, "topK must be >= 0 (0 = off), got %s", topK);
    checkArgument(topP > 0 && topP <= 1, "topP must be in (0, 1] (1 = off), got %s", topP);
    checkArgument(cfgScale >= 1 && Double.isFinite(cfgScale), "cfgScale must be >= 1 (1 = no guidance), got %s", cfgScale);
    checkArgument(cfgInterval >= -1, "cfgInterval must be >= -1 (-1 = always), got %s", cfgInterval);
  }

  /** AR-GRPO training sampling (section 4.1): temperature 1, top-k off, top-p 1, CFG 2.0. */
  public static SamplingConfig arGrpo() {
    return new SamplingConfig(1.0, 0, 1.0, 2.0, -1, 0L);
  }

  /** LlamaGen's class-to-image sampling script defaults: temperature 1, top-k 2000, top-p 1, CFG 4.0. */
  public static SamplingConfig llamaGenC2i() {
    return new SamplingConfig(1.0, 2000, 1.0, 4.0, -1, 0L);
  }

  /** Plain ancestral sampling from the conditional model: temperature 1, no filtering, no guidance. */
  public static SamplingConfig plain() {
    return new SamplingConfig(1.0, 0, 1.0, 1.0, -1, 0L);
  }

  /** This config with another seed. */
  public SamplingConfig withSeed(long s) {
    return new SamplingConfig(temperature, topK, topP, cfgScale, cfgInterval, s);
  }

  /** This config with another guidance scale. */
  public SamplingConfig withCfgScale(double s) {
    return new SamplingConfig(temperature, topK, topP, s, cfgInterval, seed);
  }

  /**
   * Whether image token {@code index} (0-based) is drawn from the guided logits: always for the first
   * token (LlamaGen's prefill), then while {@code index - 1 <= cfgInterval}.
   */
  public boolean guidedAt(int index) {
    return cfgScale > 1.0 && (cfgInterval < 0 || index <= cfgInterval + 1);
  }

  /** A builder starting from {@link #arGrpo()}. */
  public static Builder builder() {
    return new Builder(arGrpo());
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private double temperature;
    private int topK;
    private double topP;
    private double cfgScale;
    private int cfgInterval;
    private long seed;

    private Builder(SamplingConfig c) {
      temperature = c.temperature;
      topK = c.topK;
      topP = c.topP;
      cfgScale = c.cfgScale;
      cfgInterval = c.cfgInterval;
      seed = c.seed;
    }

    public Builder temperature(double v) { temperature = v; return this; }
    public Builder topK(int v) { topK = v; return this; }
    public Builder topP(double v) { topP = v; return this; }
    public Builder cfgScale(double v) { cfgScale = v; return this; }
    public Builder cfgInterval(int v) { cfgInterval = v; return this; }
    public Builder seed(long v) { seed = v; return this; }

    public SamplingConfig build() {
      return new SamplingConfig(temperature, topK, topP, cfgScale, cfgInterval, seed);
    }
  }
}
