package io.github.argrpo.rewards.stack;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * One part of a reward stack: which reward, how it is transformed, and its weight in the sum.
 *
 * <p>The part's value is {@code weight * scale * r} or, with {@code quantize}, {@code weight * scale * q(r)}
 * where {@code q} is AR-GRPO's step map of the raw score ({@code [0, 0.3, 0.6, 1] -> [-1, 0.5, 1, 1.5]}).
 *
 * <pre>{@code
 * RewardSpec clip = RewardSpec.builder("clip").paperScale().option("weights", "clip-b32.safetensors").build();
 * RewardSpec clipQ = RewardSpec.builder("clip").quantize(true).option("weights", "clip-b32.safetensors").build();
 * }</pre>
 *
 * @param name the provider name ({@code sharpness}, {@code maniqa}, {@code vlm_judge_quality}, ...)
 * @param label the metric name of this part; null derives it: {@code name}, or {@code name + "_quantize"}
 *     when quantized (the paper's {@code clip_quantize}); use {@link #metricName()}
 * @param weight the lambda of this part in the sum, finite; default 1 (the paper weights every part 1)
 * @param scale multiplier of the (quantized) reward, finite; default 1; {@link Builder#paperScale()} or
 *     {@code scale: paper} selects the paper's value ({@link PaperScales})
 * @param quantize apply AR-GRPO's step map to the raw score; default false
 * @param options provider options (file paths, seeds, endpoints): String, Number, Boolean or lists of
 *     those; each provider documents and checks its own
 */
public record RewardSpec(
    @JsonProperty("name") @JsonPropertyDescription("the provider: clip, hpsv2, maniqa, vlm_judge_quality, sharpness, "
        + "torchscript, ... (docs/rewards.md)")
    String name,
    @JsonProperty("label") @JsonPropertyDescription("the metric name of this part; default name, or name_quantize when "
        + "quantized")
    String label,
    @JsonProperty("weight") @JsonPropertyDescription("lambda of this part in the sum; default 1 (the paper weights every part 1)") double weight,
    @JsonProperty("scale") @JsonPropertyDescription("multiplier of the (quantized) reward, default 1: a number, or paper "
        + "for the paper's (clip and hpsv2 5, maniqa 2, the judge 0.25)")
    double scale,
    @JsonProperty("quantize") @JsonPropertyDescription("apply AR-GRPO's step map [0, 0.3, 0.6, 1] -> [-1, 0.5, 1, 1.5] "
        + "to the raw score; default false")
    boolean quantize,
    @JsonProperty("options") @JsonPropertyDescription("the provider's options (files, devices, endpoints): each provider "
        + "lists and checks its own")
    Map<String, Object> options) {

  public RewardSpec {
    checkArgument(name != null && name.matches("[a-z0-9_]+"),
        "reward name must be lower-case letters, digits or '_', got '%s'", name);
    checkArgument(label == null || label.matches("[A-Za-z0-9_.\\-/]+"),
        "reward label must be letters, digits, '_', '.', '-' or '/', got '%s'", label);
    checkArgument(Double.isFinite(weight), "weight of reward '%s' must be finite, got %s", name, weight);
    checkArgument(Double.isFinite(scale), "scale of reward '%s' must be finite, got %s", name, scale);
    options = copyOptions(name, options == null ? Map.of() : options);
  }

  /**
   * One entry of a reward-stack YAML list: {@code scale} is a number or {@code paper}, absent values take
   * the builder's defaults (weight 1, scale 1, no quantization).
   */
  @JsonCreator
  static RewardSpec fromYaml(@JsonProperty("name") String name, @JsonProperty("label") String label,
      @JsonProperty("weight") Double weight, @JsonProperty("scale") Object scale, @JsonProperty("quantize") Boolean quantize,
      @JsonProperty("options") Map<String, Object> options) {
    checkArgument(name != null, "'name' is required (the reward provider, e.g. clip or sharpness)");
    Builder b = builder(name).label(label);
    if (weight != null) {
      b.weight(weight);
    }
    if ("paper".equals(scale)) {
      b.paperScale();
    } else if (scale instanceof Number n) {
      b.scale(n.doubleValue());
    } else if (scale != null) {
      throw new IllegalArgumentException("'scale' must be a number or 'paper', got '" + scale + "'");
    }
    if (quantize != null) {
      b.quantize(quantize);
    }
    if (options != null) {
      b.options(options);
    }
    return b.build();
  }

  /** A builder for reward {@code name} with weight 1, scale 1, no quantization, no options. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The metric name: {@link #label()}, or the derived default. */
  public String metricName() {
    if (label != null) {
      return label;
    }
    return quantize ? name + "_quantize" : name;
  }

  /** The options with typed access for providers. */
  public RewardOptions opts() {
    return new RewardOptions(name, options);
  }

  private static Map<String, Object> copyOptions(String name, Map<String, Object> in) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : in.entrySet()) {
      checkArgument(e.getKey() != null && !e.getKey().isBlank(), "reward '%s': option names must not be empty", name);
      out.put(e.getKey(), checkValue(name, e.getKey(), e.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  private static Object checkValue(String name, String key, Object v) {
    if (v instanceof String || v instanceof Number || v instanceof Boolean) {
      return v;
    }
    if (v instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      for (Object x : l) {
        checkArgument(x instanceof String || x instanceof Number || x instanceof Boolean,
            "reward '%s': option '%s' may list only strings, numbers or booleans, got %s", name, key, x);
        copy.add(x);
      }
      return List.copyOf(copy);
    }
    throw new IllegalArgumentException("reward '" + name + "': option '" + key
        + "' must be a string, number, boolean or a list of those, got " + (v == null ? "null" : v.getClass().getSimpleName()));
  }

  /** Builder of {@link RewardSpec}. */
  public static final class Builder {
    private final String name;
    private String label;
    private double weight = 1;
    private double scale = 1;
    private boolean quantize;
    private final Map<String, Object> options = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = name;
    }

    /** See {@link RewardSpec#label()}. */
    public Builder label(String v) {
      label = v;
      return this;
    }

    /** See {@link RewardSpec#weight()}. */
    public Builder weight(double v) {
      weight = v;
      return this;
    }

    /** See {@link RewardSpec#scale()}. */
    public Builder scale(double v) {
      scale = v;
      return this;
    }

    /** The paper's scale of this reward ({@link PaperScales}); an error for rewards the paper does not use. */
    public Builder paperScale() {
      OptionalDouble s = PaperScales.of(name);
      checkArgument(s.isPresent(), "reward '%s' has no paper scale; AR-GRPO scales only clip (5), hpsv2 (5), "
          + "maniqa (2) and the vlm_judge_* rewards (0.25); give a number", name);
      scale = s.getAsDouble();
      return this;
    }

    /** See {@link RewardSpec#quantize()}. */
    public Builder quantize(boolean v) {
      quantize = v;
      return this;
    }

    /** Adds one option. */
    public Builder option(String key, Object value) {
      options.put(key, value);
      return this;
    }

    /** Adds several options. */
    public Builder options(Map<String, ?> values) {
      options.putAll(values);
      return this;
    }

    /** Validates and builds. */
    public RewardSpec build() {
      return new RewardSpec(name, label, weight, scale, quantize, options);
    }
  }
}
