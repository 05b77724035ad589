package io.github.argrpo.examples.run;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.train.ConditionSource;
import io.github.argrpo.models.llamagen.LlamaGenPolicy;
import io.github.argrpo.models.text.PrecomputedTextFeatures;
import io.github.argrpo.models.vq.VqModel;

/**
 * What a {@link RunConfig} loads: the LlamaGen policy with its weights, the VQ tokenizer, and for
 * text-to-image the prompt set with its precomputed features. Closing it releases all of them.
 *
 * <pre>{@code
 * try (LoadedModels m = LoadedModels.load(RunConfig.load("run.yaml", List.of(), false))) {
 *   Rollouts r = m.policy().sample(m.classConditions(List.of(207)), 4, SamplingConfig.arGrpo());
 * }
 * }</pre>
 */
public final class LoadedModels implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LoadedModels.class);

  private final RunConfig config;
  private final LlamaGenPolicy policy;
  private final VqModel vq;
  private final PrecomputedTextFeatures text;
  private final List<String> prompts;

  private LoadedModels(RunConfig config, LlamaGenPolicy policy, VqModel vq, PrecomputedTextFeatures text, List<String> prompts) {
    this.config = config;
    this.policy = policy;
    this.vq = vq;
    this.text = text;
    this.prompts = prompts;
  }

  /**
   * Loads every file the config names: text features first (cheap checks before large loads), then the
   * VQ, then the GPT.
   *
   * @throws ConfigException naming the key and file when a file is missing or does not fit
   */
  public static LoadedModels load(RunConfig c) throws IOException {
    NativeRuntime.init();
    PrecomputedTextFeatures text = null;
    List<String> prompts = null;
    VqModel vq = null;
    LlamaGenPolicy policy = null;
    try {
      if (c.conditions().isText()) {
        prompts = PromptFile.read(c.conditions().prompts());
        if (!Files.isRegularFile(c.conditions().features())) {
          throw new ConfigException("conditions.features: file " + c.conditions().features() + " does not exist "
              + "(produce it with the script in docs/text-features.md)");
        }
        try {
          text = PrecomputedTextFeatures.open(c.conditions().features());
        } catch (IllegalArgumentException e) {
          throw new ConfigException("conditions.features: " + PolicyWeights.oneLine(e.getMessage()), e);
        }
        checkText(c, text, prompts);
      }
      if (!Files.isRegularFile(c.vq().weights())) {
        throw new ConfigException("vq.weights: file " + c.vq().weights() + " does not exist");
      }
      try {
        vq = VqModel.load(c.vq().config(), c.vq().weights(), c.model().precision(), c.model().device());
      } catch (IllegalArgumentException e) {
        throw new ConfigException("vq.weights " + PolicyWeights.oneLine(e.getMessage()), e);
      }
      if (!Files.exists(c.model().weights())) {
        throw new ConfigException("model.weights: file " + c.model().weights() + " does not exist");
      }
      policy = LlamaGenPolicy.create(c.model().gpt(), c.model().device());
      PolicyWeights.load(policy, c.model().weights(), "model.weights");
      LOG.info("loaded {} from {}, VQ from {}", c.model().describe(), c.model().weights(), c.vq().weights());
      return new LoadedModels(c, policy, vq, text, prompts);
    } catch (IOException | RuntimeException e) {
      if (policy != null) {
        policy.close();
      }
      if (vq != null) {
        vq.close();
      }
      if (text != null) {
        text.close();
      }
      throw e;
    }
  }

  private static void checkText(RunConfig c, PrecomputedTextFeatures text, List<String> prompts) {
    // LlamaGen's text path always takes 120 caption positions (t5_feature_max_len), whatever cls_token_num
    int tokens = io.github.argrpo.models.llamagen.GptConfig.CAPTION_TOKENS;
    int dim = c.model().gpt().captionDim();
    if (text.tokens() != tokens || text.dim() != dim) {
      throw new ConfigException("conditions.features " + c.conditions().features() + " holds " + text.tokens() + " x "
          + text.dim() + " features, the model takes " + tokens + " x " + dim + " (120 caption tokens x caption_dim)");
    }
    for (String p : prompts) {
      if (!text.contains(p)) {
        throw new ConfigException("conditions.features " + c.conditions().features() + " has no entry for prompt '"
            + (p.length() > 60 ? p.substring(0, 57) + "..." : p) + "' of " + c.conditions().prompts()
            + " (regenerate the features for this prompt file)");
      }
    }
  }

  /** The configuration. */
  public RunConfig config() {
    return config;
  }

  /** The policy (owned here). */
  public LlamaGenPolicy policy() {
    return policy;
  }

  /** The VQ tokenizer (owned here). */
  public VqModel vq() {
    return vq;
  }

  /** The prompt set of the config; empty for class-to-image. */
  public List<String> prompts() {
    return prompts == null ? List.of() : prompts;
  }

  /** Whether the model is text-to-image. */
  public boolean isText() {
    return text != null;
  }

  /** The conditions the trainer draws from. */
  public ConditionSource conditionSource() {
    return isText() ? new PromptConditions(prompts, text) : ConditionSource.classes(config.conditions().classes());
  }

  /** Class conditions, checked against the model's class count. */
  public List<Condition> classConditions(List<Integer> labels) {
    if (isText()) {
      throw new ConfigException("this is a text-to-image model; give prompts, not classes");
    }
    List<Condition> out = new ArrayList<>();
    for (int l : labels) {
      if (l < 0 || l >= config.model().gpt().numClasses()) {
        throw new ConfigException("class " + l + " is outside [0, " + config.model().gpt().numClasses() + ")");
      }
      out.add(Condition.ofClass(l));
    }
    return out;
  }

  /** Text conditions with features from the config's feature store. */
  public List<Condition> textConditions(List<String> texts) {
    if (!isText()) {
      throw new ConfigException("this is a class-to-image model; give classes, not prompts");
    }
    List<Condition> out = new ArrayList<>();
    for (String p : texts) {
      if (!text.contains(p)) {
        throw new ConfigException("conditions.features " + config.conditions().features() + " has no entry for prompt '"
            + (p.length() > 60 ? p.substring(0, 57) + "..." : p) + "' (regenerate the features with this prompt file)");
      }
      out.add(text.condition(p));
    }
    return out;
  }

  @Override
  public void close() {
    policy.close();
    vq.close();
    if (text != null) {
      text.close();
    }
  }
}
