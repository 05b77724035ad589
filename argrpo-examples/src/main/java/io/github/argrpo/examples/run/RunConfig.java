package io.github.argrpo.examples.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;


import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.argrpo.core.config.ConfigBinding;
import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.train.TrainerConfig;
import io.github.argrpo.models.llamagen.ModelType;
import io.github.argrpo.rewards.stack.RewardSpec;
import io.github.argrpo.rewards.stack.RewardStack;

/**
 * A run configuration: the YAML file the {@code train}, {@code sample} and {@code export} subcommands
 * read, with {@code --set key.path=value} overrides applied, every section validated and unknown keys
 * rejected. The file's keys are declared once, by {@link RunFile} and its section records, and bound by
 * {@link ConfigBinding}; {@code docs/configuration.md} lists them (generated).
 *
 * <pre>
 * model:      {gpt: {preset: XL, type: c2i, image_size: 384}, weights: models/c2i_XL_384.pt, precision: fp32, device: cuda}
 * vq:         {preset: VQ-16, weights: models/vq_ds16_c2i.pt}
 * conditions: {classes: 1000}
 * rewards:    [ {name: clip, scale: paper, options: {...}}, ... ]      # the RewardStack YAML list
 * trainer:    {steps: 400, conditions_per_step: 8, group_size: 8, ...}  # TrainerConfig's layout
 * eval:       {every: 20, held_out_classes: 50, metrics: [...], select: ..., mode: max}  # optional, EvalSpec
 * </pre>
 *
 * <pre>{@code
 * RunConfig c = RunConfig.load("c2i_B_256", List.of("trainer.steps=10"), true);   // bundled, or a file path
 * }</pre>
 *
 * <p>Files named in the config are checked when they are loaded ({@link LoadedModels}), so a config
 * validates without the weights present. Relative paths are relative to the working directory.
 *
 * @param model the GPT
 * @param vq the tokenizer
 * @param conditions classes or prompts
 * @param rewards the reward stack's parts, null if the config has no {@code rewards} list
 * @param trainer the trainer settings (the paper's defaults where the config is silent)
 * @param eval the held-out evaluation ({@link EvalSpec#off()} without an {@code eval} section)
 * @param source where the config came from (a file, or {@code bundled:<name>})
 * @param resolvedYaml the configuration after overrides with every default explicit, as YAML: the run's one
 *     resolved config, saved in the run folder as {@code config.yaml} and compared on resume
 */
public record RunConfig(ModelSpec model, VqSpec vq, ConditionSpec conditions, List<RewardSpec> rewards, TrainerConfig trainer,
    EvalSpec eval, String source, String resolvedYaml) {

  /** The configs shipped in {@code src/main/resources/configs/}, loadable by name. */
  public static final List<String> BUNDLED = List.of("c2i_B_256", "c2i_B_384", "c2i_L_384", "c2i_XL_384", "c2i_L_256",
      "c2i_B_256_kl0", "c2i_B_256_ablation_A", "c2i_B_256_ablation_B", "c2i_B_256_ablation_C", "c2i_B_256_ablation_D",
      "t2i_XL_256", "t2i_XL_256_ablation_A", "t2i_XL_256_ablation_B", "t2i_XL_256_ablation_C", "t2i_XL_256_ablation_D");

  /**
   * Loads, overrides and validates a config.
   *
   * @param config a YAML file path, or the name of a bundled config ({@link #BUNDLED})
   * @param overrides {@code key.path=value} assignments applied in order
   * @param requireRewards whether the {@code rewards} section must be present (training)
   * @throws ConfigException for a missing file, malformed YAML, an invalid value or an unknown key; the
   *     message names the key
   */
  public static RunConfig load(String config, List<String> overrides, boolean requireRewards) {
    Map.Entry<String, String> text = readText(config);
    ObjectNode root = ConfigBinding.parse(text.getValue(), text.getKey());
    for (String o : overrides) {
      ConfigBinding.override(root, o);
    }
    RunFile file = ConfigBinding.bind(root, RunFile.class, RunFile.defaults(), "");
    VqSpec vq = VqSpec.of(file.vq());
    ModelSpec model = ModelSpec.of(file.model(), vq.config().downsampleFactor(), vq.config().codebookSize());
    boolean t2i = model.gpt().modelType() == ModelType.TEXT_TO_IMAGE;
    ConditionSpec cond = ConditionSpec.of(file.conditions(), t2i, model.gpt().numClasses());
    if (file.rewards() == null && requireRewards) {
      throw new ConfigException("rewards is required: a list of rewards, e.g. rewards: [{name: sharpness}] "
          + "(see docs/rewards.md)");
    }
    if (file.rewards() != null && file.rewards().isEmpty()) {
      throw new ConfigException("rewards must list at least one reward, e.g. rewards: [{name: sharpness}]");
    }
    EvalSpec eval = EvalSpec.of(file.eval(), t2i ? 0 : model.gpt().numClasses());
    // the one resolved config of a run: every key explicit, reward labels resolved, secrets masked
    RunFile resolved = new RunFile(file.model(), file.vq(), file.conditions(),
        file.rewards() == null ? null : RewardStack.resolved(file.rewards()), file.trainer(),
        new EvalSection(file.eval().config(), file.eval().heldOut(), file.eval().heldOutClasses(),
            file.eval().heldOutPrompts(), RewardStack.resolved(file.eval().metrics())));
    return new RunConfig(model, vq, cond, file.rewards(), file.trainer(), eval, text.getKey(), ConfigBinding.toYaml(resolved));
  }

  private static Map.Entry<String, String> readText(String config) {
    Path p = Path.of(config);
    if (Files.isRegularFile(p)) {
      try {
        return Map.entry(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new ConfigException("cannot read config file " + p + ": " + e.getMessage(), e);
      }
    }
    String name = config.endsWith(".yaml") ? config.substring(0, config.length() - 5) : config;
    if (!name.contains("/") && !name.contains("\\")) {
      try (InputStream in = RunConfig.class.getResourceAsStream("/configs/" + name + ".yaml")) {
        if (in != null) {
          return Map.entry("bundled:" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        throw new ConfigException("cannot read bundled config " + name + ": " + e.getMessage(), e);
      }
    }
    throw new ConfigException("config file " + config + " does not exist (give a YAML file, or one of the bundled configs: "
        + String.join(", ", BUNDLED) + ")");
  }
}
