package io.github.argrpo.models.llamagen;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.policy.LogProbSource;
import io.github.argrpo.core.policy.LogitsProcessing;
import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.runtime.Autocast;
import io.github.argrpo.core.runtime.Bf16Support;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.MatmulPrecision;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.weights.StateDictLoader;
import io.github.argrpo.weights.WeightFiles;
import io.github.argrpo.weights.SafetensorsWriter;
import io.github.argrpo.weights.WeightSource;

/**
 * A LlamaGen GPT as a GRPO {@link Policy}: batched KV-cache CFG sampling, teacher-forced log-probs
 * with gradient, a frozen reference copy, weight loading and export with the reference key names.
 *
 * <pre>{@code
 * try (LlamaGenPolicy policy = LlamaGenPolicy.load(GptConfig.gptB(), Path.of("c2i_B_256.safetensors"), DeviceSpec.CPU);
 *      Rollouts r = policy.sample(List.of(Condition.ofClass(207)), 8, SamplingConfig.arGrpo().withSeed(1));
 *      PointerScope scope = new PointerScope()) {
 *   Tensor logp = policy.tokenLogProbs(r.sampleConditions(), r.tokens(), LogProbSource.CONDITIONAL,
 *       SamplingConfig.arGrpo());
 * }
 * }</pre>
 *
 * <p><b>Reproducibility.</b> Sample {@code m} of group {@code g} draws from its own generator seeded
 * with {@link RowGenerators#rowSeed}{@code (config.seed(), g, m)}: the same seed and condition at the
 * same group position give the same tokens whatever the other groups are (up to the last-bit effects
 * of a different batch size on the matmuls).
 *
 * <p><b>Native memory.</b> The model is owned by the policy until {@link #close()}. {@link #sample}
 * returns {@link Rollouts} that own their tensors; other tensor results belong to the caller's
 * {@code PointerScope}.
 */
public final class LlamaGenPolicy implements Policy {

  private static final Logger LOG = LoggerFactory.getLogger(LlamaGenPolicy.class);

  private final LlamaGenGpt model;
  private final DeviceSpec deviceSpec;
  // t2i caption features resident on the model's device: copied once per prompt, not per call
  private final TextFeatureCache textFeatures;

  private LlamaGenPolicy(LlamaGenGpt model, DeviceSpec deviceSpec) {
    this.model = model;
    this.deviceSpec = deviceSpec;
    this.textFeatures = new TextFeatureCache(model.device(), model.config().precision().scalarType(),
        TextFeatureCache.DEFAULT_BUDGET_BYTES);
    // A new libtorch module is in train mode; a policy starts in eval mode (as LlamaGen's sampling
    // scripts call model.eval()), so direct logits/tokenLogProbs calls apply no dropout or class
    // dropout. Maximum-likelihood training switches it on with setTraining(true).
    model.eval();
  }

  /** A policy with the reference's random initialisation, in eval mode (see {@link #setTraining}). */
  public static LlamaGenPolicy create(GptConfig config, DeviceSpec device) {
    boolean bf16Matmuls = config.precision() == Precision.BF16 || config.bf16Autocast();
    if (config.bf16Autocast() && device.isCuda()) {
      // LlamaGen's scripts set allow_tf32 = True; under autocast it reaches the matmuls that stay fp32
      MatmulPrecision.allowTf32(true);
      LOG.info("bf16 mixed precision on {}: bf16 autocast for the GPT's passes, TF32 for fp32 matmuls (process-wide)",
          device);
    }
    if (bf16Matmuls && !device.isCuda() && Bf16Support.viaFp32()) {
      // the GPT's bf16 path is written for oneDNN's bf16 kernels; without them libtorch runs scalar bf16
      // GEMMs 5-10x slower than fp32 (docs/performance.md, "bf16 on CPUs without oneDNN bf16")
      LOG.warn("bf16 GPT on a CPU without oneDNN bf16 (no AVX-512 core / AVX2-VNNI-2): libtorch runs scalar bf16 "
          + "kernels here, several times slower than fp32; use model.precision=fp32 on this machine");
    }
    return new LlamaGenPolicy(LlamaGenGpt.create(config, device), device);
  }

  /**
   * A policy with weights from a file holding the reference state dict: safetensors, or an official
   * {@code torch.save} checkpoint ({@code c2i_B_256.pt}, FSDP-consolidated files included), any float
   * dtypes, cast to {@code config.precision()}. The format is detected from the content. A released
   * AR-GRPO checkpoint loads too: its {@code save_pretrained} folder, {@code model.safetensors} or shard
   * index, whose {@code gpt_model.*} tensors are the policy (see {@link #loadWeights}). In eval mode.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if keys or shapes do not match {@code config}
   */
  public static LlamaGenPolicy load(GptConfig config, Path weights, DeviceSpec device) throws IOException {
    LlamaGenPolicy p = create(config, device);
    try (WeightSource f = WeightFiles.open(weights)) {
      p.loadWeights(f);
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
    return p;
  }

  /** The t2i feature cache (tests). */
  TextFeatureCache textFeatureCache() {
    return textFeatures;
  }

  /** The network. */
  public LlamaGenGpt model() {
    return model;
  }

  /** The architecture. */
  public GptConfig config() {
    return model.config();
  }

  @Override
  public int sequenceLength() {
    return model.config().blockSize();
  }

  @Override
  public int vocabularySize() {
    return model.config().vocabSize();
  }

  @Override
  public Rollouts sample(List<? extends Condition> conditions, int groupSize, SamplingConfig config) {
    checkGroups(conditions, groupSize);
    try (PointerScope scope = new PointerScope()) {
      Generation g = generate(conditions, groupSize, config, false, false);
      // the config travels with the tokens: GRPO re-scores them with its guidance and temperature
      return new Rollouts(conditions, groupSize, g.tokens(), g.logProbs(), g.entropy(), config);
    }
  }

  /**
   * Generates {@code groupSize} sequences per condition in one batched pass, in eval mode and without
   * gradient (the mode is restored afterwards).
   *
   * @param greedy argmax decoding instead of sampling (the reference's {@code sample_logits=False})
   * @param keepLogits also return the guided logits of every step
   * @return the result in the caller's {@code PointerScope}; rows laid out group by group
   */
  public Generation generate(List<? extends Condition> conditions, int groupSize, SamplingConfig config,
      boolean greedy, boolean keepLogits) {
    checkGroups(conditions, groupSize);
    List<Condition> rows = expand(conditions, groupSize);
    boolean wasTraining = model.is_training();
    model.eval();
    try (Autocast a = model.autocast()) {
      ConditionInputs in = ConditionInputs.of(model.config(), rows, model.device(), textFeatures);
      RowGenerators gens = greedy ? null : RowGenerators.forGroups(config.seed(), conditions.size(), groupSize,
          model.config().blockSize(), model.device());
      return CfgSampler.generate(model, in.cond(), in.captionValid(), config, gens, keepLogits);
    } finally {
      model.train(wasTraining);
    }
  }

  @Override
  public Tensor tokenLogProbs(List<? extends Condition> conditions, Tensor tokens, LogProbSource source,
      SamplingConfig config) {
    Tensor ids = checkTokens(conditions, tokens);
    ConditionInputs in = ConditionInputs.of(model.config(), conditions, model.device(), textFeatures);
    Tensor z = model.teacherForcedLogits(in.cond(), in.captionValid(), ids);
    if (source == LogProbSource.GUIDED && config.cfgScale() > 1.0) {
      Tensor uncond;
      try (NoGradGuard g = new NoGradGuard()) {
        // the unconditional branch is a constant of the objective: detached, no graph kept
        uncond = model.teacherForcedLogits(model.unconditionalInput(ids.size(0)), in.captionValid(), ids);
      }
      Tensor guidedAll = LogitsProcessing.guide(z, uncond, config.cfgScale());
      int len = (int) ids.size(1);
      int guidedCount = 0;
      boolean[] guided = new boolean[len];
      for (int t = 0; t < len; t++) {
        guided[t] = CfgSampler.guided(config, t);
        guidedCount += guided[t] ? 1 : 0;
      }
      if (guidedCount == len) {
        z = guidedAll;
      } else {
        Tensor g = Tensor.create(guided, len).to(model.device(), ScalarType.Bool).view(1, len, 1);
        z = torch.where(g, guidedAll, z);
      }
    }
    if (config.temperature() != 1.0) {
      z = z.div(new Scalar(Math.max(config.temperature(), 1e-5)));
    }
    return torch.log_softmax(z, -1).gather(2, ids.unsqueeze(2)).squeeze(2);
  }

  /**
   * Teacher-forced fp32 logits {@code (N, L, V)} of {@code tokens} {@code (N, L)}: row {@code n} is the
   * conditional distribution of token {@code n} (the reference's training logits), with gradient when
   * grad mode is on; in the caller's scope.
   */
  public Tensor logits(List<? extends Condition> conditions, Tensor tokens) {
    Tensor ids = checkTokens(conditions, tokens);
    ConditionInputs in = ConditionInputs.of(model.config(), conditions, model.device(), textFeatures);
    return model.teacherForcedLogits(in.cond(), in.captionValid(), ids);
  }

  /**
   * The reference's maximum-likelihood loss: mean next-token cross-entropy of {@code tokens} given the
   * conditions (train mode applies dropouts and condition dropout, as configured). A scalar in the
   * caller's scope, with gradient when grad mode is on.
   */
  public Tensor trainLoss(List<? extends Condition> conditions, Tensor tokens) {
    Tensor ids = checkTokens(conditions, tokens);
    ConditionInputs in = ConditionInputs.of(model.config(), conditions, model.device(), textFeatures);
    return model.trainLoss(in.cond(), in.captionValid(), ids);
  }

  @Override
  public List<Tensor> trainableParameters() {
    List<Tensor> out = new ArrayList<>();
    for (Tensor t : model.namedParameterMap().values()) {
      if (t.requires_grad()) {
        out.add(t);
      }
    }
    return out;
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    return model.namedParameterMap();
  }

  /** Parameters and buffers ({@code cls_embedding.uncond_embedding}) by reference name; live tensors. */
  public Map<String, Tensor> stateDict() {
    return model.stateDict();
  }

  /**
   * The persistent buffers by state-dict name: state that is not a parameter but must survive a
   * checkpoint (t2i: {@code cls_embedding.uncond_embedding}, the learned unconditional caption that
   * classifier-free guidance samples against; c2i models have none). Live tensors owned by the model.
   * The RoPE table ({@code freqs_cis}) is recomputed from the config, so it is not among them.
   */
  @Override
  public Map<String, Tensor> namedBuffers() {
    Map<String, Tensor> out = new LinkedHashMap<>(model.stateDict());
    out.keySet().removeAll(model.namedParameterMap().keySet());
    return Collections.unmodifiableMap(out);
  }

  @Override
  public LlamaGenPolicy frozenCopy() {
    LlamaGenPolicy copy = create(model.config(), deviceSpec);
    copy.copyStateFrom(model.stateDict());
    for (Tensor t : copy.model.namedParameterMap().values()) {
      t.set_requires_grad(false);
    }
    copy.model.eval();
    return copy;
  }

  /**
   * Train mode applies the configured dropouts and condition dropout (maximum likelihood); eval mode,
   * the state of every new or loaded policy, applies none (sampling, GRPO log-probs).
   */
  @Override
  public void setTraining(boolean training) {
    model.train(training);
  }

  @Override
  public void loadParametersFrom(Policy other) {
    Map<String, Tensor> src = other instanceof LlamaGenPolicy p ? p.stateDict() : other.namedParameters();
    Map<String, Tensor> dst = other instanceof LlamaGenPolicy ? model.stateDict() : model.namedParameterMap();
    if (!src.keySet().equals(dst.keySet())) {
      throw new IllegalArgumentException("parameter names differ: missing " + difference(dst.keySet(), src.keySet())
          + ", unexpected " + difference(src.keySet(), dst.keySet()));
    }
    copyStateFrom(src);
  }

  private void copyStateFrom(Map<String, Tensor> src) {
    try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
        Tensor s = src.get(e.getKey());
        checkShape(e.getKey(), e.getValue(), s.shape());
        e.getValue().copy_(s);
      }
    }
  }

  /**
   * Copies every tensor of the model's state dict from {@code source} (safetensors, or a
   * {@code torch.save} checkpoint with or without its {@code "model"}/{@code "module"} wrapper),
   * converting dtype and device, through the io module's {@link StateDictLoader}: all keys and shapes
   * are checked before anything is copied. Keys the reference may carry that are not weights
   * ({@code freqs_cis}, {@code *.kv_cache.*}) are ignored; unlike the reference's
   * {@code strict=False}, a missing or unexpected key is an error. A file that stores the model under
   * a prefix ({@code gpt_model.} in an AR-GRPO checkpoint, beside {@code ref_model.gpt_model.} and
   * {@code vq_model.}) loads the tensors under the shortest prefix that holds every key.
   *
   * @throws io.github.argrpo.weights.StateDictMismatchException naming the missing, unexpected and
   *     mis-shaped keys (check model type, preset and class count)
   */
  public void loadWeights(WeightSource source) {
    StateDictLoader.Report r = StateDictLoader.defaults().load(source, model.stateDict());
    LOG.debug("loaded {} tensors into {}", r.loaded().size(), describe());
  }

  /** Writes the state dict with the reference key names (in the model's dtype) to a safetensors file. */
  public void saveSafetensors(Path path) throws IOException {
    SafetensorsWriter.write(path, model.stateDict());
  }

  @Override
  public void close() {
    textFeatures.close();
    model.close();
  }

  private String describe() {
    GptConfig c = model.config();
    return "LlamaGen " + c.modelType().referenceName() + " GPT (dim " + c.dim() + ", " + c.nLayer() + " layers)";
  }

  private static void checkShape(String key, Tensor target, long[] shape) {
    if (!Arrays.equals(target.shape(), shape)) {
      throw new IllegalArgumentException("tensor '" + key + "': expected shape " + Arrays.toString(target.shape())
          + ", got " + Arrays.toString(shape));
    }
  }

  private static TreeSet<String> difference(Set<String> a, Set<String> b) {
    TreeSet<String> d = new TreeSet<>(a);
    d.removeAll(b);
    return d;
  }

  private static void checkGroups(List<? extends Condition> conditions, int groupSize) {
    checkArgument(groupSize >= 1, "groupSize must be >= 1, got %s", groupSize);
    checkArgument(conditions != null && !conditions.isEmpty(), "at least one condition is needed");
  }

  private Tensor checkTokens(List<? extends Condition> conditions, Tensor tokens) {
    int len = model.config().blockSize();
    if (tokens.dim() != 2 || tokens.size(0) != conditions.size() || tokens.size(1) != len) {
      throw new IllegalArgumentException("tokens must be (" + conditions.size() + ", " + len + "), got "
          + Arrays.toString(tokens.shape()));
    }
    Tensor ids = tokens.to(model.device(), ScalarType.Long);
    long min = ids.min().item().toLong();
    long max = ids.max().item().toLong();
    checkArgument(min >= 0 && max < model.config().vocabSize(), "tokens must be in [0, %s), got values in [%s, %s]",
        model.config().vocabSize(), min, max);
    return ids;
  }

  private static List<Condition> expand(List<? extends Condition> groups, int groupSize) {
    List<Condition> rows = new ArrayList<>(groups.size() * groupSize);
    for (Condition c : groups) {
      for (int i = 0; i < groupSize; i++) {
        rows.add(c);
      }
    }
    return rows;
  }
}
