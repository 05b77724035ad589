package io.github.argrpo.models.text.t5;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.EmbeddingImpl;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.LongLived;
import io.github.argrpo.core.runtime.ModuleMemory;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.weights.SafetensorsWriter;
import io.github.argrpo.weights.ShardedWeights;
import io.github.argrpo.weights.StateDictLoader;
import io.github.argrpo.weights.WeightFiles;
import io.github.argrpo.weights.WeightSource;

/**
 * A T5 encoder stack on libtorch: Hugging Face's {@code T5EncoderModel(input_ids, attention_mask)
 * .last_hidden_state}, for inference. LlamaGen text-to-image encodes its prompts with FLAN-T5-XL's
 * encoder in bf16, giving {@code (B, 120, 2048)}.
 *
 * <pre>{@code
 * T5Encoder t5 = T5Encoder.load(Path.of("flan-t5-xl"), ScalarType.BFloat16);
 * try (PointerScope scope = new PointerScope()) {
 *   Tensor h = t5.forward(inputIds, attentionMask);   // (B, L, 2048) bf16, owned by scope
 * }
 * }</pre>
 *
 * <p>The forward is the reference's: token embedding ({@code shared}, not scaled), then
 * {@code numLayers} {@link T5Block}s sharing block 0's {@link RelativePositionBias} plus the padding
 * mask {@code (1 - mask) * finfo(dtype).min}, then the final {@link T5LayerNorm}. Padded keys are
 * masked, padded queries are computed anyway (their outputs are the reference's, and meaningless).
 *
 * <p>Parameter names are the checkpoint's ({@code shared.weight},
 * {@code encoder.block.0.layer.0.SelfAttention.q.weight}, ..., {@code encoder.final_layer_norm.weight}),
 * so {@link #load} copies them one to one; the decoder and {@code lm_head} of a
 * {@code T5ForConditionalGeneration} checkpoint are skipped.
 *
 * <p>Native memory: parameters live as long as the encoder (build and load it outside any
 * {@code PointerScope}, or through {@link #create}/{@link #load}, which do that for you); each
 * {@link #forward} frees its temporaries before returning, so repeated calls do not grow memory.
 * Not thread-safe against concurrent changes of the weights; concurrent forwards are fine.
 */
public final class T5Encoder extends Module {

  private static final Logger LOG = LoggerFactory.getLogger(T5Encoder.class);

  /** {@code torch.finfo(torch.bfloat16).min}: the largest finite bf16, negated. */
  private static final double BF16_MIN = -3.3895313892515355e38;

  /** Weight files looked up by {@link #load}, in order of preference (Hugging Face's names). */
  static final List<String> WEIGHT_FILES = List.of("model.safetensors", "model.safetensors.index.json",
      "pytorch_model.bin", "pytorch_model.bin.index.json");

  private final T5Config config;
  private final ScalarType dtype;
  private final boolean woInFp32;
  private final Tensor sharedWeight;
  private final Module stack;
  private final List<T5Block> blocks;
  private final T5LayerNorm finalNorm;
  private boolean closed;

  private T5Encoder(T5Config config, ScalarType dtype, boolean woInFp32, boolean initialize) {
    this.config = config;
    this.dtype = dtype;
    this.woInFp32 = woInFp32;
    EmbeddingImpl shared = register_module("shared", new EmbeddingImpl(config.vocabSize(), config.dModel()));
    this.sharedWeight = new Tensor(shared.weight());
    if (initialize) {
      normal(sharedWeight, 1.0);
    }
    shared.to(dtype, false);
    // "encoder" is a plain container so that the keys read encoder.block.N... as in the checkpoint.
    this.stack = register_module("encoder", new Module());
    ModuleListImpl list = stack.register_module("block", new ModuleListImpl());
    List<T5Block> bs = new ArrayList<>();
    for (int i = 0; i < config.numLayers(); i++) {
      T5Block block = new T5Block(config, i);
      if (initialize) {
        initialize(block);
      }
      // Cast each block as soon as it exists: building all of FLAN-T5-XL in fp32 first would need
      // 4.8 GB before a bf16 model of 2.4 GB.
      block.to(dtype, false);
      if (woInFp32) {
        block.feedForward().wo().to(ScalarType.Float, false);
      }
      list.push_back(block);
      bs.add(block);
    }
    this.blocks = Collections.unmodifiableList(bs);
    this.finalNorm = stack.register_module("final_layer_norm",
        new T5LayerNorm(config.dModel(), config.layerNormEpsilon()));
    finalNorm.to(dtype, false);
    eval();
  }

  /**
   * An encoder with Hugging Face's initialisation ({@code T5PreTrainedModel._init_weights}, factor 1):
   * embedding N(0, 1); {@code q} N(0, (dModel dKv)^-1/2); {@code k}, {@code v}, {@code wi*} and the
   * position bias N(0, dModel^-1/2); {@code o} N(0, (heads dKv)^-1/2); {@code wo} N(0, dFf^-1/2);
   * norms 1. Drawn from libtorch's default generator ({@code torch.manual_seed}). Safe to call inside a
   * {@code PointerScope}.
   *
   * @param dtype {@code Float} or {@code BFloat16}
   */
  public static T5Encoder create(T5Config config, ScalarType dtype) {
    checkDtype(dtype);
    NativeRuntime.init();
    return LongLived.build(() -> new T5Encoder(config, dtype, false, true));
  }

  /** {@link #load(Path, ScalarType, boolean)} with every parameter in {@code dtype}. */
  public static T5Encoder load(Path folder, ScalarType dtype) throws IOException {
    return load(folder, dtype, false);
  }

  /**
   * Loads a Hugging Face model folder: {@code config.json} and the weights in the first of
   * {@code model.safetensors}, {@code model.safetensors.index.json} (sharded),
   * {@code pytorch_model.bin}, {@code pytorch_model.bin.index.json} that exists. The weights may be
   * those of a {@code T5EncoderModel} or a whole {@code T5ForConditionalGeneration}; decoder and
   * {@code lm_head} tensors are skipped, and the embedding is read from {@code shared.weight} or, if
   * the file lacks it, {@code encoder.embed_tokens.weight}. Values are cast to {@code dtype} on the
   * way in. Safe to call inside a {@code PointerScope}.
   *
   * @param dtype {@code Float} or {@code BFloat16}
   * @param keepWoInFp32 with bf16, keep the feed-forward output projections {@code wo} in fp32, as
   *     Hugging Face transformers 4.x does when loading T5 with {@code torch_dtype=torch.bfloat16}
   *     ({@code _keep_in_fp32_modules = ["wo"]}, which until 2026 applied to bf16 as well as fp16).
   *     The residual stream then becomes fp32 after the first feed-forward, and the output is still
   *     bf16. Choose it to match features computed with such a transformers version (LlamaGen's);
   *     the default is a pure bf16 model
   * @throws FileNotFoundException if the folder lacks {@code config.json} or every weight file
   * @throws io.github.argrpo.weights.StateDictMismatchException if encoder tensors are missing or
   *     have other shapes, or the file has tensors no T5 encoder has; the message names them all
   */
  public static T5Encoder load(Path folder, ScalarType dtype, boolean keepWoInFp32) throws IOException {
    checkDtype(dtype);
    NativeRuntime.init();
    Path configJson = folder.resolve("config.json");
    if (!Files.isRegularFile(configJson)) {
      throw new FileNotFoundException(folder + ": no config.json; expected a Hugging Face T5 model folder");
    }
    T5Config config = T5Config.fromJson(configJson);
    boolean woFp32 = keepWoInFp32 && dtype.value != ScalarType.Float.value;
    try (WeightSource weights = openWeights(folder)) {
      T5Encoder encoder = LongLived.build(() -> new T5Encoder(config, dtype, woFp32, false));
      encoder.copyFrom(weights);
      LOG.info("loaded T5 encoder ({} layers, d_model {}) from {} in {}{}", config.numLayers(),
          config.dModel(), weights, dtype, woFp32 ? " (wo in fp32)" : "");
      return encoder;
    }
  }

  /** The first weight file of {@link #WEIGHT_FILES} in {@code folder}, opened. */
  static WeightSource openWeights(Path folder) throws IOException {
    for (String name : WEIGHT_FILES) {
      Path p = folder.resolve(name);
      if (Files.isRegularFile(p)) {
        return name.endsWith(".index.json") ? ShardedWeights.open(p) : WeightFiles.open(p);
      }
    }
    throw new FileNotFoundException(folder + ": no weights; expected one of " + WEIGHT_FILES);
  }

  /** Copies the encoder tensors of {@code weights} into this model (all or nothing). */
  private void copyFrom(WeightSource weights) {
    try (PointerScope scope = new PointerScope()) {
      Map<String, Tensor> target = new LinkedHashMap<>();
      boolean hasShared = weights.keys().contains("shared.weight");
      for (Map.Entry<String, Tensor> e : StateDictLoader.stateDict(this).entrySet()) {
        // The encoder's embed_tokens is tied to shared; a file saved without the duplicate has only
        // one of the two names.
        boolean alias = e.getKey().equals("shared.weight") && !hasShared
            && weights.keys().contains("encoder.embed_tokens.weight");
        target.put(alias ? "encoder.embed_tokens.weight" : e.getKey(), e.getValue());
      }
      StateDictLoader loader = StateDictLoader.defaults().alsoIgnoring("decoder.*", "lm_head.*");
      if (hasShared) {
        loader = loader.alsoIgnoring("encoder.embed_tokens.weight");
      }
      loader.load(weights, target);
    }
  }

  private static void checkDtype(ScalarType dtype) {
    checkArgument(dtype != null && (dtype.value == ScalarType.Float.value || dtype.value == ScalarType.BFloat16.value),
        "dtype must be Float or BFloat16, got %s%s", dtype,
        dtype != null && dtype.value == ScalarType.Half.value
            ? " (fp16 is slow on CPUs and would need Hugging Face's inf clamping)" : "");
  }

  private void initialize(T5Block block) {
    double dModel = config.dModel();
    try (PointerScope scope = new PointerScope(); StringTensorDict params = block.named_parameters(true)) {
      for (long i = 0; i < params.size(); i++) {
        String name = params.get(i).key().getString();
        Tensor p = new Tensor(params.get(i).value());
        if (name.endsWith("layer_norm.weight")) {
          continue; // ones
        }
        double std;
        if (name.endsWith(".q.weight")) {
          std = Math.pow(dModel * config.dKv(), -0.5);
        } else if (name.endsWith(".o.weight")) {
          std = Math.pow(config.innerDim(), -0.5);
        } else if (name.endsWith(".wo.weight")) {
          std = Math.pow(config.dFf(), -0.5);
        } else {
          std = Math.pow(dModel, -0.5); // k, v, wi, wi_0, wi_1, relative_attention_bias
        }
        normal(p, std);
      }
    }
  }

  private static void normal(Tensor p, double std) {
    try (NoGradGuard g = new NoGradGuard()) {
      p.normal_(0.0, std, new GeneratorOptional());
    }
  }

  /**
   * The last hidden state of {@code inputIds}, under {@code NoGradGuard}.
   *
   * @param inputIds (B, L) token ids, int64 (or another integer type), each in {@code [0, vocabSize)}
   * @param attentionMask (B, L), 1/true on real tokens and 0/false on padding (bool, integer or
   *     float), or null for no padding
   * @return (B, L, dModel) in the model dtype, attached to the caller's innermost {@code PointerScope}
   *     (without one, the caller closes it)
   * @throws IllegalArgumentException for wrong ranks, shapes, dtypes, ids or mask values
   */
  public Tensor forward(Tensor inputIds, Tensor attentionMask) {
    checkState(!closed, "this T5 encoder is closed");
    checkInputs(inputIds, attentionMask);
    PointerScope outer = PointerScope.getInnerScope();
    try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      long b = inputIds.size(0);
      int l = (int) inputIds.size(1);
      Tensor ids = inputIds.to(sharedWeight.device(), ScalarType.Long);
      Tensor h = torch.embedding(sharedWeight, ids);
      // Block 0's table gives (1, H, L, L); with the mask it becomes (B, H, L, L), computed once and
      // reused by every block, as the reference passes position_bias on.
      Tensor bias = blocks.get(0).attention().relativeBias().forward(l);
      if (attentionMask != null) {
        bias = bias.add(extendedMask(attentionMask, b, l, bias.scalar_type()));
      }
      for (T5Block block : blocks) {
        h = runBlock(scope, block, h, bias);
      }
      Tensor out = finalNorm.forward(h);
      if (outer != null) {
        outer.attach(out);
      } else {
        out.retainReference();
      }
      return out;
    }
  }

  /**
   * One block in its own scope, so that its temporaries are freed at once; the previous hidden state
   * is freed too. Without this a forward would keep every block's intermediates until it returns
   * (hundreds of MB for FLAN-T5-XL at batch 8).
   */
  private static Tensor runBlock(PointerScope forwardScope, T5Block block, Tensor h, Tensor bias) {
    Tensor next;
    try (PointerScope blockScope = new PointerScope()) {
      next = block.forward(h, bias);
      forwardScope.attach(next);
    }
    forwardScope.detach(h); // frees it now: nothing else refers to it
    return next;
  }

  /** {@code (1 - mask) * finfo(dtype).min} as (B, 1, 1, L), in the bias dtype (the model's). */
  private Tensor extendedMask(Tensor attentionMask, long b, long l, ScalarType biasType) {
    Tensor padding = attentionMask.to(sharedWeight.device(), attentionMask.scalar_type()).eq(new Scalar(0)).view(b, 1, 1, l);
    double min = biasType.value == ScalarType.BFloat16.value ? BF16_MIN : -Float.MAX_VALUE;
    // Float.MAX_VALUE rounds to infinity in bf16, hence the bf16 constant: the reference adds the
    // finite minimum of the dtype, so a fully padded row stays finite (uniform) instead of NaN.
    return torch.zeros(new long[] {b, 1, 1, l}, new TensorOptions(biasType)
        .device(new DeviceOptional(sharedWeight.device())))
        .masked_fill(padding, new Scalar(min));
  }

  private void checkInputs(Tensor inputIds, Tensor attentionMask) {
    checkArgument(inputIds != null && !inputIds.isNull() && inputIds.defined(), "inputIds must be a defined tensor");
    if (inputIds.dim() != 2 || inputIds.size(0) == 0 || inputIds.size(1) == 0) {
      throw new IllegalArgumentException("inputIds must be (B, L) with B, L > 0, got shape "
          + Arrays.toString(inputIds.shape()));
    }
    checkArgument(!inputIds.is_floating_point() && !inputIds.is_complex()
            && inputIds.scalar_type().value != ScalarType.Bool.value,
        "inputIds must hold integer token ids, got %s", inputIds.scalar_type());
    try (PointerScope s = new PointerScope()) {
      long min = inputIds.min().item_long();
      long max = inputIds.max().item_long();
      checkArgument(!(min < 0) && !(max >= config.vocabSize()),
          "token ids must be in [0, %s), got [%s, %s]", config.vocabSize(), min, max);
      if (attentionMask == null) {
        return;
      }
      if (attentionMask.isNull() || !attentionMask.defined()
          || !Arrays.equals(attentionMask.shape(), inputIds.shape())) {
        throw new IllegalArgumentException("attentionMask must have the shape of inputIds "
            + Arrays.toString(inputIds.shape()) + ", got "
            + (attentionMask.isNull() || !attentionMask.defined() ? "an undefined tensor"
                : Arrays.toString(attentionMask.shape())));
      }
      Tensor m = attentionMask.to(ScalarType.Double);
      checkArgument(!m.ne(new Scalar(0)).logical_and(m.ne(new Scalar(1))).any().item_bool(),
          "attentionMask must hold only 0 and 1 (or false and true)");
    }
  }

  /** The architecture. */
  public T5Config config() {
    return config;
  }

  /** The dtype of the parameters (and of the output). */
  public ScalarType dtype() {
    return dtype;
  }

  /** Whether the feed-forward output projections are kept in fp32 in a bf16 model. */
  public boolean woInFp32() {
    return woInFp32;
  }

  /** The blocks, in order. */
  public List<T5Block> blocks() {
    return blocks;
  }

  /**
   * Moves the weights to {@code device} (inputs of {@link #forward} follow the weights); returns this.
   * The Java handles this class keeps see the move: {@code Module.to} replaces each parameter's data
   * in place.
   */
  public T5Encoder toDevice(DeviceSpec device) {
    if (device.isCuda()) {
      to(device.toDevice(), false);
    }
    return this;
  }

  /**
   * Writes this encoder as a Hugging Face folder that {@link #load} and transformers'
   * {@code T5EncoderModel.from_pretrained} read: {@code config.json} and {@code model.safetensors}
   * (the parameters in their dtype, checkpoint names). The folder is created if needed; a tokenizer
   * ({@code spiece.model}) is not written. Converting FLAN-T5-XL this way keeps the 4.9 GB encoder
   * (2.4 GB in bf16) of the 11 GB download.
   */
  public void save(Path folder) throws IOException {
    Files.createDirectories(folder);
    Map<String, Tensor> tensors = new LinkedHashMap<>(StateDictLoader.stateDict(this));
    SafetensorsWriter.write(folder.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
    Files.writeString(folder.resolve("config.json"), config.toJson());
  }

  /** Frees the weights now ({@link ModuleMemory#release}); idempotent. The encoder cannot be used afterwards. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      ModuleMemory.release(this);
      super.close();
    }
  }
}
