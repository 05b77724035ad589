package io.github.argrpo.models.llamagen;

import static com.google.common.base.Preconditions.checkState;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.EmbeddingImpl;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.runtime.Autocast;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.LongLived;
import io.github.argrpo.core.runtime.ModuleMemory;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Scopes;

/**
 * The LlamaGen GPT ({@code Transformer} in {@code autoregressive/models/gpt.py}) on libtorch: condition
 * embedding, token embedding, {@code n_layer} pre-norm blocks with 2D RoPE, a final RMSNorm and an
 * untied output head. Parameter names are the reference's state-dict keys, so weights load and export
 * one to one ({@code tok_embeddings.weight}, {@code layers.0.attention.wqkv.weight}, ...).
 *
 * <pre>{@code
 * LlamaGenGpt gpt = LlamaGenGpt.create(GptConfig.gptB(), DeviceSpec.CPU);
 * try (PointerScope s = new PointerScope()) {
 *   Tensor logits = gpt.teacherForcedLogits(labels, null, tokens);   // (B, 256, 16384) fp32
 * }
 * gpt.close();
 * }</pre>
 *
 * <p>This class is the network; {@link CfgSampler} decodes with it and {@link LlamaGenPolicy} wraps both
 * as a GRPO policy. Native memory: parameters live until {@link #close()}; every method's results
 * belong to the caller's {@code PointerScope}.
 */
public final class LlamaGenGpt extends Module implements AutoCloseable {

  private final GptConfig config;
  private final Device device;
  private final ClassEmbedder classEmbedder;
  private final CaptionEmbedder captionEmbedder;
  private final Tensor tokWeight;
  private final List<TransformerBlock> layers;
  private final RmsNorm norm;
  private final Tensor outputWeight;
  private final Rope2d rope;
  private final Map<String, Tensor> parameterMap;
  private final Map<String, Tensor> stateDict;
  private boolean closed;

  private LlamaGenGpt(GptConfig config, Device device) {
    this.config = config;
    this.device = device;
    if (config.modelType() == ModelType.CLASS_TO_IMAGE) {
      this.classEmbedder = register_module("cls_embedding",
          new ClassEmbedder(config.numClasses(), config.dim(), config.classDropoutProb()));
      this.captionEmbedder = null;
    } else {
      this.classEmbedder = null;
      this.captionEmbedder = register_module("cls_embedding",
          new CaptionEmbedder(config.captionDim(), config.dim(), config.classDropoutProb(), GptConfig.CAPTION_TOKENS));
    }
    EmbeddingImpl tok = register_module("tok_embeddings", new EmbeddingImpl(config.vocabSize(), config.dim()));
    this.tokWeight = new Tensor(tok.weight());
    ModuleListImpl list = register_module("layers", new ModuleListImpl());
    List<TransformerBlock> blocks = new ArrayList<>();
    for (int i = 0; i < config.nLayer(); i++) {
      TransformerBlock block = new TransformerBlock(config);
      list.push_back(block);
      blocks.add(block);
    }
    this.layers = Collections.unmodifiableList(blocks);
    this.norm = register_module("norm", new RmsNorm(config.dim(), config.normEps()));
    LinearImpl out = Linears.register(this, "output", config.dim(), config.vocabSize());
    this.outputWeight = Linears.weight(out);
    initializeWeights();
    to(device, config.precision().scalarType(), false);
    this.rope = new Rope2d(config.gridSize(), config.headDim(), config.ropeBase(), config.clsTokenNum(), device);
    // Wrappers made here (outside any scope) stay valid as long as the model: Module.to() changes the
    // tensors in place (set_data), so they keep pointing at the live parameters.
    this.parameterMap = Collections.unmodifiableMap(toMap(named_parameters(true)));
    Map<String, Tensor> sd = new LinkedHashMap<>(parameterMap);
    sd.putAll(toMap(named_buffers(true)));
    this.stateDict = Collections.unmodifiableMap(sd);
  }

  /**
   * A model with the reference's initialisation (linear and embedding weights ~ N(0, 0.02), output
   * head zero, norms one), in {@code config.precision()} on {@code device}. Safe to call inside a
   * {@code PointerScope}: the model is built where no scope can capture it. The caller closes it.
   */
  public static LlamaGenGpt create(GptConfig config, DeviceSpec device) {
    NativeRuntime.init();
    return LongLived.build(() -> new LlamaGenGpt(config, device.toDevice()));
  }

  private void initializeWeights() {
    // gpt.py _init_weights: every nn.Linear / nn.Embedding weight ~ N(0, initializer_range=0.02), then
    // output.weight = 0; RMSNorm weights stay 1.
    try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      StringTensorDict params = named_parameters(true);
      for (long i = 0; i < params.size(); i++) {
        String name = params.get(i).key().getString();
        Tensor p = params.get(i).value();
        if (name.equals("output.weight")) {
          p.zero_();
        } else if (p.dim() == 2) {
          p.normal_(0.0, 0.02, new GeneratorOptional());
        }
      }
    }
  }

  /** The architecture. */
  public GptConfig config() {
    return config;
  }

  /** The device the parameters live on (owned by this model). */
  public Device device() {
    return device;
  }

  /** The rotary table (owned by this model). */
  public Rope2d rope() {
    return rope;
  }

  /** The blocks, in order. */
  public List<TransformerBlock> layers() {
    return layers;
  }

  /**
   * Condition embeddings {@code (B, cls, dim)} in the model dtype: c2i {@code cond} is {@code (B,)}
   * int64 class ids ({@code num_classes} = null class), t2i {@code cond} is {@code (B, 120, caption_dim)}
   * float features. Applies the train-mode condition dropout.
   */
  public Tensor embedCondition(Tensor cond) {
    ensureOpen();
    if (classEmbedder != null) {
      return classEmbedder.forward(cond);
    }
    return captionEmbedder.forward(cond).narrow(1, 0, config.clsTokenNum());
  }

  /** The unconditional condition input for {@code b} rows: null-class ids or the learned caption. */
  public Tensor unconditionalInput(long b) {
    if (classEmbedder != null) {
      checkState(classEmbedder.nullClass() >= 0, "classifier-free guidance needs the null class, but this model has "
          + "class_dropout_prob = 0 and no null row in its class table");
      return torch.full(new long[] {b}, new Scalar(classEmbedder.nullClass()),
          new TensorOptions(ScalarType.Long).device(new DeviceOptional(device)));
    }
    return captionEmbedder.unconditional(b);
  }

  /** Image-token embeddings {@code (B, S, dim)} of int64 ids {@code (B, S)}. */
  public Tensor embedTokens(Tensor ids) {
    ensureOpen();
    return torch.embedding(tokWeight, ids);
  }

  /**
   * Runs the blocks on input embeddings {@code h} {@code (B, S, dim)} at positions
   * {@code start .. start+S-1} (token dropout first, in train mode).
   *
   * @param mask {@code null} or a bool mask {@code (B, 1, S, K)} (see {@link CausalMask})
   * @param causal with no mask, whether the {@code S} positions attend causally among themselves
   * @param caches {@code null}, or one cache per layer (see {@link #newCaches})
   * @return the last block's output {@code (B, S, dim)}, before the final norm
   */
  public Tensor forwardHidden(Tensor h, long start, Tensor mask, boolean causal, List<KvCache> caches) {
    ensureOpen();
    Tensor x = config.tokenDropoutP() > 0 && is_training() ? torch.dropout(h, config.tokenDropoutP(), true) : h;
    // Without autograd (sampling, the reference and old log-prob passes) each block runs in its own scope and
    // only its output survives: otherwise every block's temporaries (fp32 attention scores, FFN activations)
    // lived until the caller's scope closed, about 1.4 GB per block for 64 sequences of GPT-B, so the paper's
    // 8 x 8 reference pass without micro-batches ran out of 24 GB. With autograd they are the backward's inputs.
    boolean scoped = !GradMode.is_enabled();
    PointerScope outer = scoped ? Scopes.outer() : null;
    for (int i = 0; i < layers.size(); i++) {
      KvCache cache = caches == null ? null : caches.get(i);
      if (!scoped) {
        x = layers.get(i).forward(x, rope, start, mask, causal, cache);
        continue;
      }
      try (PointerScope layer = new PointerScope()) {
        x = Scopes.handOut(layers.get(i).forward(x, rope, start, mask, causal, cache), outer);
      }
    }
    return x;
  }

  /** Final norm and output head: fp32 logits {@code (..., vocab)} of hidden states {@code (..., dim)}. */
  public Tensor head(Tensor hidden) {
    ensureOpen();
    return torch.linear(norm.forward(hidden), outputWeight).to(ScalarType.Float);
  }

  /**
   * One preallocated cache per layer for {@code batch} rows and {@code maxLength} positions. On CUDA
   * the cache has the model dtype (as the reference). On the CPU it is fp32 even for a bf16 model:
   * the keys and values written are bf16 numbers, so nothing is rounded differently, and the
   * explicit CPU attention reads the cache in fp32 without converting it at every step (the
   * conversion of the whole cache per layer and step made bf16 decoding several times slower).
   */
  public List<KvCache> newCaches(long batch, long maxLength) {
    List<KvCache> caches = new ArrayList<>(layers.size());
    ScalarType dtype = device.is_cpu() ? ScalarType.Float : config.precision().scalarType();
    for (int i = 0; i < layers.size(); i++) {
      caches.add(new KvCache(batch, config.nHead(), maxLength, config.headDim(), dtype, device));
    }
    return caches;
  }

  /**
   * Teacher-forced logits of every image token: the reference's non-cached forward on
   * {@code [condition; tokens[:, :-1]]} sliced at {@code [cls-1:]}, so row {@code n} is the distribution
   * of image token {@code n} given the condition and tokens {@code 0..n-1}.
   *
   * @param cond condition input (see {@link #embedCondition})
   * @param captionValid t2i: {@code (B, 120)} (or {@code (B, cls)}) validity mask; null for c2i
   * @param tokens {@code (B, N)} int64 image tokens
   * @return {@code (B, N, vocab)} fp32 logits, attached to autograd when grad mode is on
   */
  public Tensor teacherForcedLogits(Tensor cond, Tensor captionValid, Tensor tokens) {
    try (Autocast a = autocast()) {
      return teacherForcedLogitsInScope(cond, captionValid, tokens);
    }
  }

  /**
   * The scope of one pass in mixed precision ({@link GptConfig#bf16Autocast}): bf16 autocast on this model's
   * device, or {@code null} (nothing to close) when the model runs in its weights' precision. Open one per
   * pass, not per layer: inside it libtorch casts each weight to bf16 once (its cast cache keeps the copies
   * of leaf tensors that require grad until the outermost scope closes).
   */
  public Autocast autocast() {
    if (!config.bf16Autocast()) {
      return null;
    }
    return Autocast.bf16(device.is_cpu() ? DeviceType.CPU : DeviceType.CUDA);
  }

  private Tensor teacherForcedLogitsInScope(Tensor cond, Tensor captionValid, Tensor tokens) {
    long b = tokens.size(0);
    long n = tokens.size(1);
    int cls = config.clsTokenNum();
    Tensor condEmb = embedCondition(cond);
    Tensor h = n > 1 ? torch.cat(new TensorVector(condEmb, embedTokens(tokens.narrow(1, 0, n - 1))), 1) : condEmb;
    long s = h.size(1);
    Tensor mask = null;
    if (config.modelType() == ModelType.TEXT_TO_IMAGE) {
      mask = CausalMask.build(captionValid.narrow(1, 0, cls).to(device, ScalarType.Bool), 0, s, s);
    }
    Tensor hidden = forwardHidden(h, 0, mask, true, null);
    return head(hidden.narrow(1, cls - 1, n));
  }

  /**
   * The reference's train-mode objective: mean cross-entropy of {@code tokens} under the
   * teacher-forced logits ({@code F.cross_entropy(logits.view(-1, V), targets.view(-1))}). Call
   * {@code train(true)} first for the reference's dropouts and condition dropout.
   */
  public Tensor trainLoss(Tensor cond, Tensor captionValid, Tensor tokens) {
    Tensor logits = teacherForcedLogits(cond, captionValid, tokens);
    return torch.cross_entropy(logits.reshape(-1, config.vocabSize()), tokens.reshape(-1));
  }

  /** Parameters by reference name (live tensors, owned by the model). */
  public Map<String, Tensor> namedParameterMap() {
    return parameterMap;
  }

  /** Parameters and buffers by reference name: the state dict (live tensors, owned by the model). */
  public Map<String, Tensor> stateDict() {
    return stateDict;
  }

  private static Map<String, Tensor> toMap(StringTensorDict d) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (long i = 0; i < d.size(); i++) {
      // value() is a reference into the dict, which is freed with it: keep an owned handle
      m.put(d.get(i).key().getString(), new Tensor(d.get(i).value()));
    }
    return m;
  }

  /**
   * Frees the parameters and buffers now ({@link ModuleMemory#release}) and the RoPE tables;
   * idempotent. The model cannot be used afterwards, nor can live tensors taken from
   * {@link #stateDict()} (they are empty).
   */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      ModuleMemory.release(this);
      rope.close();
    }
  }

  private void ensureOpen() {
    checkState(!closed, "this LlamaGen GPT is closed");
  }
}
