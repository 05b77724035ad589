package io.github.argrpo.examples.run;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.condition.TextCondition;
import io.github.argrpo.core.condition.TextEncoder;
import io.github.argrpo.core.condition.TextFeatures;
import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.RankDevice;
import io.github.argrpo.core.train.ConditionSource;
import io.github.argrpo.models.llamagen.GptConfig;
import io.github.argrpo.models.llamagen.LlamaGenPolicy;
import io.github.argrpo.models.text.PrecomputedTextFeatures;
import io.github.argrpo.models.text.T5TextEncoder;
import io.github.argrpo.models.vq.VqTokenizer;

/**
 * What a {@link RunConfig} loads: the LlamaGen policy with its weights, the VQ tokenizer, and for
 * text-to-image the prompt set with its text encoder (a store of precomputed features, or FLAN-T5 run
 * here). Closing it releases all of them.
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
  private final DeviceSpec device;
  private final LlamaGenPolicy policy;
  private final VqTokenizer vq;
  private final TextEncoder text;
  private final List<String> prompts;

  private LoadedModels(RunConfig config, DeviceSpec device, LlamaGenPolicy policy, VqTokenizer vq, TextEncoder text,
      List<String> prompts) {
    this.config = config;
    this.device = device;
    this.policy = policy;
    this.vq = vq;
    this.text = text;
    this.prompts = prompts;
  }

  /**
   * Loads every file the config names: text features first (cheap checks before large loads), then the
   * VQ, then the GPT. Everything goes on this process's device, resolved first ({@link RankDevice}): a
   * {@code model.device} of {@code cuda} is {@code cuda:<LOCAL_RANK>} in a data-parallel run.
   *
   * @throws ConfigException naming the key and file when a file is missing or does not fit
   */
  public static LoadedModels load(RunConfig c) throws IOException {
    NativeRuntime.init();
    DeviceSpec device = RankDevice.select(c.model().device());
    TextEncoder text = null;
    List<String> prompts = null;
    VqTokenizer vq = null;
    LlamaGenPolicy policy = null;
    try {
      if (c.conditions().isText()) {
        prompts = PromptFile.read(c.conditions().prompts());
        text = c.conditions().t5() != null ? openT5(c, device) : openStore(c, prompts);
      }
      if (!Files.isRegularFile(c.vq().weights())) {
        throw new ConfigException("vq.weights: file " + c.vq().weights() + " does not exist");
      }
      try {
        vq = VqTokenizer.load(c.vq().config(), c.vq().weights(), c.model().precision(), device);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("vq.weights " + PolicyWeights.oneLine(e.getMessage()), e);
      }
      if (!Files.exists(c.model().weights())) {
        throw new ConfigException("model.weights: file " + c.model().weights() + " does not exist");
      }
      policy = LlamaGenPolicy.create(c.model().gpt(), device);
      PolicyWeights.load(policy, c.model().weights(), "model.weights");
      LOG.info("loaded {} from {}, VQ from {}", c.model().describe(), c.model().weights(), c.vq().weights());
      return new LoadedModels(c, device, policy, vq, text, prompts);
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

  private static PrecomputedTextFeatures openStore(RunConfig c, List<String> prompts) throws IOException {
    if (!Files.isRegularFile(c.conditions().features())) {
      throw new ConfigException("conditions.features: file " + c.conditions().features() + " does not exist "
          + "(produce it with `argrpo encode-text`, see docs/text-features.md)");
    }
    PrecomputedTextFeatures store;
    try {
      store = PrecomputedTextFeatures.open(c.conditions().features());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("conditions.features: " + PolicyWeights.oneLine(e.getMessage()), e);
    }
    try {
      checkShape(c, store, "conditions.features " + c.conditions().features());
      if (store.padding() != c.conditions().padding()) {
        throw new ConfigException("conditions.features " + c.conditions().features() + " holds " + store.padding().key()
            + "-padded features but conditions.padding is " + c.conditions().padding().key() + "; set conditions.padding: "
            + store.padding().key() + ", or re-encode with `argrpo encode-text --padding " + c.conditions().padding().key()
            + "` (docs/text-features.md)");
      }
      for (String p : prompts) {
        if (!store.contains(p)) {
          throw new ConfigException("conditions.features " + c.conditions().features() + " has no entry for prompt '"
              + abbreviate(p) + "' of " + c.conditions().prompts() + " (regenerate the features for this prompt file)");
        }
      }
      return store;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private static T5TextEncoder openT5(RunConfig c, DeviceSpec device) throws IOException {
    T5TextEncoder t5;
    try {
      t5 = T5TextEncoder.open(c.conditions().t5(), c.conditions().t5Precision(), device, c.conditions().padding());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("conditions.t5: " + PolicyWeights.oneLine(e.getMessage()), e);
    }
    try {
      checkShape(c, t5, "conditions.t5 " + c.conditions().t5());
      return t5;
    } catch (RuntimeException e) {
      t5.close();
      throw e;
    }
  }

  private static void checkShape(RunConfig c, TextEncoder text, String what) {
    // LlamaGen's text path always takes 120 caption positions (t5_feature_max_len), whatever cls_token_num
    int tokens = GptConfig.CAPTION_TOKENS;
    int dim = c.model().gpt().captionDim();
    if (text.tokens() != tokens || text.dim() != dim) {
      throw new ConfigException(what + " gives " + text.tokens() + " x " + text.dim() + " features, the model takes "
          + tokens + " x " + dim + " (120 caption tokens x caption_dim)");
    }
  }

  private static String abbreviate(String p) {
    return p.length() > 60 ? p.substring(0, 57) + "..." : p;
  }

  /** The configuration. */
  public RunConfig config() {
    return config;
  }

  /** The device every model here was built on: {@code model.device} resolved for this rank. */
  public DeviceSpec device() {
    return device;
  }

  /** The policy (owned here). */
  public LlamaGenPolicy policy() {
    return policy;
  }

  /** The VQ tokenizer (owned here). */
  public VqTokenizer vq() {
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

  /** The text encoder of a t2i run (the feature store or FLAN-T5), null for c2i; owned by this object. */
  public TextEncoder textEncoder() {
    return text;
  }

  /** Every condition of the config: the prompts' features (t2i) or uniform classes (c2i). */
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

  /** Text conditions with features from the config's text encoder (a store must hold every prompt). */
  public List<Condition> textConditions(List<String> texts) {
    if (!isText()) {
      throw new ConfigException("this is a class-to-image model; give classes, not prompts");
    }
    if (text instanceof PrecomputedTextFeatures store) {
      for (String p : texts) {
        if (!store.contains(p)) {
          throw new ConfigException("conditions.features " + config.conditions().features() + " has no entry for prompt '"
              + abbreviate(p) + "' (regenerate the features with this prompt file, or use conditions.t5)");
        }
      }
    }
    // one batched call: a T5 encoder runs several prompts per forward
    List<TextFeatures> features = text.encode(texts);
    List<Condition> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      out.add(new TextCondition(texts.get(i), features.get(i)));
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
