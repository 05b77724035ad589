package io.github.argrpo.rewards.clip;

import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.runtime.ModuleMemory;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.weights.SafetensorsFile;
import io.github.argrpo.weights.WeightSource;

/**
 * CLIP on libtorch (OpenAI {@code clip/model.py}, open_clip's {@code CLIP}): image and text towers
 * projected into one embedding space, for inference.
 *
 * <pre>{@code
 * try (ClipModel clip = ClipModel.load(ClipConfig.vitB32(), Precision.FP32, Path.of("model.safetensors"))) {
 *   try (PointerScope scope = new PointerScope()) {
 *     Tensor img = clip.encodeImage(ClipPreprocess.openAi(224).apply(images));   // [B, 512] fp32
 *     Tensor txt = clip.encodeText(Tensor.create(tokenizer.tokenizeAll(prompts), n, 77));
 *   }
 * }
 * }</pre>
 *
 * <p>Weights: OpenAI / open_clip state dicts and Hugging Face {@code CLIPModel} files (see
 * {@link #loadWeights(WeightSource)}); either layout maps onto the same module, whose parameter names
 * are the OpenAI ones ({@link #stateDictKeys()}).
 *
 * <p><b>Device.</b> Built on the CPU; {@link #toDevice} moves it (CUDA builds). The encode methods
 * move their inputs to the model's device and return CPU tensors.
 *
 * <p><b>Memory.</b> Build the model outside any {@code PointerScope} (a scope would free it); it owns
 * its parameters until {@link #close()}. Tensors returned by the encode methods are fp32, new, and
 * belong to the caller's scope. Forward passes run without autograd and are safe to call from several
 * threads.
 */
public final class ClipModel extends Module {

  private static final Logger LOG = LoggerFactory.getLogger(ClipModel.class);

  private final ClipConfig config;
  private final Precision precision;
  private final VisionTransformer visual;
  private final TextTransformer text;
  private final Tensor logitScale;
  private boolean closed;

  private ClipModel(ClipConfig config, Precision precision) {
    this.config = config;
    this.precision = precision;
    ScalarType dtype = precision.scalarType();
    visual = register_module("visual", new VisionTransformer(config, dtype));
    text = register_module("text", new TextTransformer(config, dtype));
    // ln(1/0.07), the initial value of CLIP training; real weights overwrite it (ln 100 for OpenAI).
    logitScale = ClipParams.ones(this, "logit_scale", ScalarType.Float);
    try (NoGradGuard g = new NoGradGuard()) {
      logitScale.mul_(new Scalar(Math.log(1 / 0.07)));
    }
    eval();
  }

  /**
   * A model with placeholder random weights (benchmarks, shape tests); parameters are created directly
   * in {@code precision}.
   */
  public static ClipModel create(ClipConfig config, Precision precision) {
    NativeRuntime.init();
    return new ClipModel(config, precision);
  }

  /** A model loaded from {@code weights}; see {@link #loadWeights(WeightSource)}. */
  public static ClipModel load(ClipConfig config, Precision precision, WeightSource weights) {
    ClipModel m = create(config, precision);
    try {
      m.loadWeights(weights);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    return m;
  }

  /** A model loaded from a {@code .safetensors} file (OpenAI/open_clip or Hugging Face names). */
  public static ClipModel load(ClipConfig config, Precision precision, Path safetensors) {
    try (SafetensorsFile f = SafetensorsFile.open(safetensors)) {
      return load(config, precision, f);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CLIP weights " + safetensors + ": " + e.getMessage(), e);
    }
  }

  /**
   * Copies every parameter from {@code weights}, converting dtypes as needed. The file must hold exactly
   * this model's tensors with this config's shapes; otherwise nothing is copied and the error lists the
   * missing, unexpected and mismatched keys.
   */
  public void loadWeights(WeightSource weights) {
    NativeRuntime.init();
    ClipStateDict sd = ClipStateDict.of(weights);
    Map<String, Tensor> params = canonicalParameters();
    List<String> missing = new ArrayList<>();
    List<String> mismatched = new ArrayList<>();
    for (Map.Entry<String, Tensor> p : params.entrySet()) {
      if (!sd.entries().containsKey(p.getKey())) {
        missing.add(p.getKey());
        continue;
      }
      long[] want = p.getValue().sizes().vec().get();
      long[] got = sd.shape(p.getKey());
      if (!Arrays.equals(want, got)) {
        mismatched.add(p.getKey() + " (model " + Arrays.toString(want) + ", file " + Arrays.toString(got) + ")");
      }
    }
    List<String> unexpected = new ArrayList<>(sd.unexpected());
    for (String k : sd.entries().keySet()) {
      if (!params.containsKey(k)) {
        unexpected.add(k);
      }
    }
    if (!missing.isEmpty() || !mismatched.isEmpty() || !unexpected.isEmpty()) {
      throw new IllegalArgumentException("CLIP weights do not fit " + config + " ("
          + (sd.huggingFace() ? "Hugging Face" : "OpenAI/open_clip") + " key names): "
          + describe("missing", missing) + "; " + describe("unexpected", unexpected) + "; "
          + describe("shape mismatch", mismatched));
    }
    try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      for (Map.Entry<String, Tensor> p : params.entrySet()) {
        p.getValue().copy_(sd.read(p.getKey()));
      }
    }
    LOG.debug("loaded {} CLIP tensors ({} names)", params.size(), sd.huggingFace() ? "Hugging Face" : "OpenAI");
  }

  /** The OpenAI/open_clip names of this model's parameters, in registration order. */
  public List<String> stateDictKeys() {
    return List.copyOf(canonicalParameters().keySet());
  }

  private Map<String, Tensor> canonicalParameters() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    StringTensorDict d = named_parameters(true);
    for (long i = 0; i < d.size(); i++) {
      String name = d.get(i).key().getString();
      // An owning handle: value() points into the dict, which dies with d.
      out.put(name.startsWith("text.") ? name.substring("text.".length()) : name, new Tensor(d.get(i).value()));
    }
    return out;
  }

  /**
   * Image features {@code [B, D]} (not normalized) of {@code pixels}: {@code [B, 3, S, S]}, already
   * preprocessed (resized, cropped, normalized). Result: fp32, caller's scope.
   */
  public Tensor encodeImage(Tensor pixels) {
    ensureOpen();
    long[] s = pixels.sizes().vec().get();
    if (s.length != 4 || s[1] != 3) {
      throw new IllegalArgumentException("pixels must be [B, 3, " + config.imageSize() + ", " + config.imageSize()
          + "], got " + Arrays.toString(s));
    }
    try (NoGradGuard g = new NoGradGuard()) {
      Tensor out = visual.forward(pixels.to(logitScale.device(), precision.scalarType()));
      return out.to(new Device("cpu"), ScalarType.Float);
    }
  }

  /** Text features {@code [B, D]} (not normalized) of int64 ids {@code [B, L]}, {@code L <= 77}. Result: fp32, caller's scope. */
  public Tensor encodeText(Tensor ids) {
    ensureOpen();
    long[] s = ids.sizes().vec().get();
    if (s.length != 2) {
      throw new IllegalArgumentException("text ids must be [B, L], got " + Arrays.toString(s));
    }
    try (NoGradGuard g = new NoGradGuard()) {
      Tensor out = text.forward(ids.to(logitScale.device(), ScalarType.Long));
      return out.to(new Device("cpu"), ScalarType.Float);
    }
  }

  /** {@code exp(logit_scale) * normalize(img) @ normalize(txt)^T}: {@code [B_img, B_txt]}, caller's scope. */
  public Tensor logitsPerImage(Tensor pixels, Tensor ids) {
    Tensor img = ClipScores.normalize(encodeImage(pixels));
    Tensor txt = ClipScores.normalize(encodeText(ids));
    return img.matmul(txt.t()).mul(new Scalar(logitScaleExp()));
  }

  /** {@code exp(logit_scale)}: 100 for OpenAI CLIP. */
  public double logitScaleExp() {
    try (PointerScope s = new PointerScope()) {
      return Math.exp(logitScale.to(ScalarType.Double).item_double());
    }
  }

  /**
   * Moves the weights to {@code device} (for example {@code DeviceSpec.parse("cuda").toDevice()}); inputs
   * are moved there by the encode methods and results come back to the CPU. In place: the model stays
   * the same object.
   */
  public ClipModel toDevice(Device device) {
    to(device, false);
    return this;
  }

  /** The config this model was built with. */
  public ClipConfig config() {
    return config;
  }

  /** The precision of weights and activations. */
  public Precision precision() {
    return precision;
  }

  /** Number of parameters. */
  public long parameterCount() {
    long n = 0;
    for (Tensor t : parameters().get()) {
      n += t.numel();
    }
    return n;
  }

  private static String describe(String what, List<String> keys) {
    if (keys.isEmpty()) {
      return "no " + what;
    }
    List<String> shown = keys.size() <= 12 ? keys : keys.subList(0, 12);
    return keys.size() + " " + what + " " + shown + (keys.size() > 12 ? " ..." : "");
  }

  /** Frees the weights now ({@link ModuleMemory#release}); idempotent. The model cannot be used afterwards. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      ModuleMemory.release(this);
      super.close();
    }
  }

  private void ensureOpen() {
    checkState(!closed, "this CLIP model is closed");
  }
}
