package io.github.argrpo.rewards.stack;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.config.ConfigBinding;
import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.QuantizedReward;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;
import io.github.argrpo.core.reward.Rewards;
import io.github.argrpo.core.reward.WeightedSumReward;

/**
 * The composed reward of AR-GRPO's Appendix D, built from {@link RewardSpec}s: each spec's provider
 * makes the raw reward, optionally quantized ({@link QuantizedReward#arGrpo}) and scaled
 * ({@link Rewards#scaled}), and the parts are summed with their weights (the paper's lambdas) by a
 * {@link WeightedSumReward}, NaN parts skipped per sample.
 *
 * <pre>{@code
 * try (RewardStack stack = RewardStack.fromYaml(Path.of("rewards.yaml"))) {
 *   RewardResult r = stack.score(images, conditions);   // components: clip, clip_quantize, maniqa, ...
 *   Files.writeString(out.resolve("rewards.resolved.yaml"), stack.toYaml());
 * }
 * }</pre>
 *
 * <p><b>Components</b> of a result: one per part, under {@link RewardSpec#metricName()}, with the part's
 * scaled (unweighted) value, plus the extra components base rewards report (for example
 * {@code vlm_judge_quality/unreadable}). Parts with the same provider name and equal options share one
 * base reward, computed once per call (AR-GRPO's {@code clone_reward}).
 *
 * <p>YAML format ({@code docs/rewards.md}): a map with one key {@code rewards}, a list of entries with
 * keys {@code name}, {@code label}, {@code weight}, {@code scale} (a number or {@code paper}),
 * {@code quantize}, {@code options}; any other key is an error naming it.
 *
 * <p>Closing the stack closes every base reward once. Thread-safe if its rewards are.
 */
public final class RewardStack implements RewardFunction {

  private static final Logger LOG = LoggerFactory.getLogger(RewardStack.class);

  private final List<RewardSpec> specs;
  private final List<SharedReward> bases;
  private final WeightedSumReward sum;

  private RewardStack(List<RewardSpec> specs, List<SharedReward> bases, WeightedSumReward sum) {
    this.specs = List.copyOf(specs);
    this.bases = List.copyOf(bases);
    this.sum = sum;
  }

  /** Builds the stack with the providers on the class path. */
  public static RewardStack fromSpecs(List<RewardSpec> specs) {
    return fromSpecs(specs, RewardProviders.load());
  }

  /**
   * Builds the stack with {@code providers}'s providers. On any error, the rewards made so far are closed
   * and the error names the failing part.
   */
  public static RewardStack fromSpecs(List<RewardSpec> specs, RewardProviders providers) {
    checkArgument(specs != null && !specs.isEmpty(), "a reward stack needs at least one reward spec");
    Set<String> labels = new HashSet<>();
    for (RewardSpec s : specs) {
      checkArgument(labels.add(s.metricName()),
          "two rewards are reported as '%s'; give one of them a distinct label (metrics are keyed by it)",
          s.metricName());
      providers.provider(s.name()); // unknown names fail before anything is loaded
    }
    Map<List<Object>, SharedReward> shared = new LinkedHashMap<>();
    List<WeightedSumReward.Part> parts = new ArrayList<>();
    try {
      for (int i = 0; i < specs.size(); i++) {
        RewardSpec s = specs.get(i);
        List<Object> key = List.of(s.name(), s.options());
        SharedReward base = shared.get(key);
        if (base == null) {
          RewardFunction made;
          try {
            made = providers.create(s);
          } catch (RuntimeException e) {
            throw new IllegalArgumentException("reward " + i + " ('" + s.metricName() + "'): " + e.getMessage(), e);
          }
          base = new SharedReward(made);
          shared.put(key, base);
        }
        parts.add(new WeightedSumReward.Part(stage(base, s), s.weight()));
      }
      WeightedSumReward total = new WeightedSumReward(parts, "total");
      LOG.info("reward stack: {}", describe(specs));
      return new RewardStack(specs, new ArrayList<>(shared.values()), total);
    } catch (RuntimeException e) {
      for (SharedReward b : shared.values()) {
        try {
          b.base().close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /** quantize, then scale; a rename (scale 1) when only the metric name differs. */
  private static RewardFunction stage(RewardFunction base, RewardSpec s) {
    RewardFunction r = base;
    String label = s.metricName();
    if (s.quantize()) {
      r = QuantizedReward.arGrpo(r, label);
    }
    if (s.scale() != 1.0 || !r.name().equals(label)) {
      r = Rewards.scaled(r, s.scale(), label);
    }
    return r;
  }

  /**
   * Parses the YAML described in the class comment into specs (no reward is loaded), with the one strict
   * binding every config of the project goes through ({@link ConfigBinding}): unknown keys are listed with
   * the allowed ones.
   *
   * @throws ConfigException naming the key of an unknown key or invalid value
   */
  public static List<RewardSpec> parseYaml(String yaml) {
    return ConfigBinding.bind(ConfigBinding.parse(yaml, "reward config"), RewardStackFile.class, null, "").rewards();
  }

  /** Builds a stack from YAML text with the providers on the class path. */
  public static RewardStack fromYaml(String yaml) {
    return fromSpecs(parseYaml(yaml));
  }

  /** Builds a stack from a YAML file with the providers on the class path. */
  public static RewardStack fromYaml(Path file) {
    try {
      return fromYaml(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("reward config not found: " + file.toAbsolutePath(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read reward config " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * AR-GRPO's class-to-image stack (8 parts, every weight 1): {@code clip} x5, {@code clip_quantize},
   * {@code hpsv2} x5, {@code hpsv2_quantize}, {@code maniqa} x2, and the three judge questions x0.25.
   *
   * @param options provider options keyed by {@code clip}, {@code hpsv2}, {@code maniqa} and
   *     {@code vlm_judge} (shared by the three judge questions, which need {@code class_names} here:
   *     the judge is told {@code "a photo of <class names>"})
   */
  public static List<RewardSpec> arGrpoC2i(Map<String, Map<String, Object>> options) {
    Map<String, Object> judge = options.getOrDefault("vlm_judge", Map.of());
    checkArgument(judge.containsKey("class_names"), "arGrpoC2i: the vlm_judge options need 'class_names' (the "
        + "ImageNet class names file, one per line) to tell the judge what each class is");
    return arGrpo(options);
  }

  /**
   * AR-GRPO's text-to-image stack: the same 8 parts as {@link #arGrpoC2i}; the judge is told the prompt.
   *
   * @param options provider options keyed by {@code clip}, {@code hpsv2}, {@code maniqa} and {@code vlm_judge}
   */
  public static List<RewardSpec> arGrpoT2i(Map<String, Map<String, Object>> options) {
    return arGrpo(options);
  }

  private static List<RewardSpec> arGrpo(Map<String, Map<String, Object>> options) {
    for (String k : options.keySet()) {
      checkArgument(Set.of("clip", "hpsv2", "maniqa", "vlm_judge").contains(k),
          "AR-GRPO preset: unknown options group '%s'; expected clip, hpsv2, maniqa or vlm_judge", k);
    }
    Map<String, Object> clip = options.getOrDefault("clip", Map.of());
    Map<String, Object> hps = options.getOrDefault("hpsv2", Map.of());
    Map<String, Object> judge = options.getOrDefault("vlm_judge", Map.of());
    return List.of(
        RewardSpec.builder("clip").paperScale().options(clip).build(),
        RewardSpec.builder("clip").quantize(true).options(clip).build(),
        RewardSpec.builder("hpsv2").paperScale().options(hps).build(),
        RewardSpec.builder("hpsv2").quantize(true).options(hps).build(),
        RewardSpec.builder("maniqa").paperScale().options(options.getOrDefault("maniqa", Map.of())).build(),
        RewardSpec.builder("vlm_judge_quality").paperScale().options(judge).build(),
        RewardSpec.builder("vlm_judge_fake").paperScale().options(judge).build(),
        RewardSpec.builder("vlm_judge_weird").paperScale().options(judge).build());
  }

  /** The specs as resolved YAML (scales as numbers, labels explicit), loadable by {@link #parseYaml}. */
  public static String toYaml(List<RewardSpec> specs) {
    return ConfigBinding.toYaml(new RewardStackFile(resolved(specs)));
  }

  /**
   * The specs as a run writes them: labels explicit, secrets masked ({@code api_key} is never written
   * next to a run).
   */
  public static List<RewardSpec> resolved(List<RewardSpec> specs) {
    List<RewardSpec> out = new ArrayList<>();
    for (RewardSpec s : specs) {
      Map<String, Object> o = new LinkedHashMap<>(s.options());
      o.replaceAll((k, v) -> k.equals("api_key") ? "***" : v);
      out.add(new RewardSpec(s.name(), s.metricName(), s.weight(), s.scale(), s.quantize(), o));
    }
    return out;
  }

  /** This stack's specs as resolved YAML ({@link #toYaml(List)}). */
  public String toYaml() {
    return toYaml(specs);
  }

  /** The specs, in order. */
  public List<RewardSpec> specs() {
    return specs;
  }

  /** The raw base rewards (one per distinct provider and options), for diagnostics such as judge stats. */
  public List<RewardFunction> baseRewards() {
    return bases.stream().map(SharedReward::base).toList();
  }

  @Override
  public String name() {
    return sum.name();
  }

  @Override
  public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
    bases.forEach(SharedReward::begin);
    RewardResult r;
    Map<String, double[]> extra = new LinkedHashMap<>();
    try {
      r = sum.score(images, conditions);
    } finally {
      for (SharedReward b : bases) {
        b.end().forEach(extra::putIfAbsent);
      }
    }
    if (extra.isEmpty()) {
      return r;
    }
    Map<String, double[]> comps = new LinkedHashMap<>(r.components());
    extra.forEach(comps::putIfAbsent);
    return new RewardResult(r.scores(), comps);
  }

  /** Closes every base reward once; the first failure is rethrown after all were tried. */
  @Override
  public void close() {
    RuntimeException first = null;
    for (SharedReward b : bases) {
      try {
        b.base().close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private static String describe(List<RewardSpec> specs) {
    StringBuilder sb = new StringBuilder();
    for (RewardSpec s : specs) {
      if (sb.length() > 0) {
        sb.append(" + ");
      }
      sb.append(s.weight()).append('*').append(s.scale()).append('*').append(s.quantize() ? "q(" : "")
          .append(s.name()).append(s.quantize() ? ")" : "");
    }
    return sb.toString();
  }
}
