package io.github.argrpo.models.vq;

import static org.bytedeco.pytorch.global.torch.cat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.LongLived;
import io.github.argrpo.core.runtime.ModuleMemory;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.core.runtime.Scopes;

/**
 * LlamaGen's VQ network ({@code VQModel} of {@code tokenizer/tokenizer_image/vq_model.py}) on libtorch:
 * encoder, quantizer and decoder, from images in {@code [-1, 1]} to codebook indices and back, number
 * for number with the reference in fp32.
 *
 * <pre>
 * encode: x in [-1,1] -> encoder -> quant_conv (z_channels -> D) -> quantize -> codes (B, h*w)
 * decode: codes -> normalised codebook rows (B, D, h, w) -> post_quant_conv (D -> z_channels) -> decoder
 * </pre>
 *
 * <p>This class is the network, as {@code LlamaGenGpt} is for the GPT; {@link VqLoader} reads and writes
 * its weights, and {@link VqTokenizer} wraps it as the core {@code Tokenizer} (images in {@code [0, 1]},
 * LlamaGen's uint8 conversion).
 *
 * <pre>{@code
 * try (VqModel vq = VqLoader.load(VqConfig.vq16(), Path.of("vq_ds16_c2i.pt"), Precision.FP32, DeviceSpec.CPU);
 *      PointerScope scope = new PointerScope()) {
 *   Tensor raw = vq.decodeRaw(codes);                // (B, 3, 256, 256) fp32, about [-1, 1]
 * }
 * }</pre>
 *
 * <p><b>State dict.</b> Parameter names are exactly the reference's ({@code encoder.conv_blocks.0.res.0.norm1.weight},
 * {@code quantize.embedding.weight}, ...), so {@link #stateDict()} exports a file Python loads with
 * {@code load_state_dict} and the official checkpoints load 1:1. The reference buffer
 * {@code quantize.codebook_used} (65536 fp32 usage counters, training only) is kept as a plain fp32 tensor
 * outside the libtorch module so that a bf16 cast of the module cannot round it; it is part of
 * {@link #stateDict()} and optional in {@link #loadStateDict}.
 *
 * <p><b>Precision.</b> In {@link Precision#BF16} the encoder, decoder and the two 1x1 convolutions run in
 * bf16 (GroupNorm statistics and attention softmax in fp32, see {@link Normalize} and {@link AttnBlock});
 * the quantizer stays fp32. The reference keeps the VQ model in fp32; bf16 is a speed option.
 *
 * <p><b>Memory.</b> The model's parameters live until {@link #close()}, whatever scope it was created in.
 * Call the encode/decode methods inside a {@code PointerScope}: their results belong to the scope that is
 * innermost at call time, and each block frees its temporaries before returning. Inputs may live on any
 * device; they are moved to the model's device. Results stay on the model's device.
 */
public final class VqModel extends Module implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(VqModel.class);

  private final VqConfig config;
  private final Precision precision;
  private final DeviceSpec deviceSpec;
  private final Device device;
  private final VqEncoder encoder;
  private final VqDecoder decoder;
  private final VectorQuantizer quantize;
  private final Conv2dImpl quantConv;
  private final Conv2dImpl postQuantConv;
  private final Tensor codebookUsed;
  private volatile int maxBatch = 8;
  private boolean closed;

  private VqModel(VqConfig config, Precision precision, DeviceSpec deviceSpec) {
    this.config = config;
    this.precision = precision;
    this.deviceSpec = deviceSpec;
    this.device = deviceSpec.toDevice();
    // registration order = the reference's state-dict order: encoder, decoder, quantize, quant_conv, post_quant_conv
    encoder = register_module("encoder", new VqEncoder(config));
    decoder = register_module("decoder", new VqDecoder(config));
    quantize = register_module("quantize", new VectorQuantizer(config));
    quantConv = register_module("quant_conv", Convs.conv1x1(config.zChannels(), config.codebookEmbedDim()));
    postQuantConv = register_module("post_quant_conv", Convs.conv1x1(config.codebookEmbedDim(), config.zChannels()));
    eval();
    for (Tensor p : parameters().get()) {
      p.set_requires_grad(false);
    }
    to(device, false);
    ScalarType dt = precision.scalarType();
    encoder.to(dt, false);
    decoder.to(dt, false);
    quantConv.to(dt, false);
    postQuantConv.to(dt, false);
    codebookUsed = torch.zeros(VqConfig.CODEBOOK_USED_LENGTH).to(device, ScalarType.Float);
    codebookUsed.retainReference();
  }

  /**
   * A VQ model with random weights (libtorch's default init; codebook uniform in {@code ±1/n} as the
   * reference), in inference mode, on {@code device} in {@code precision}. It owns its native memory
   * independently of any {@code PointerScope} (inside one, it is built on a helper thread so the scope does
   * not capture it); the caller closes it.
   */
  public static VqModel create(VqConfig config, Precision precision, DeviceSpec device) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(device, "device");
    NativeRuntime.init();
    VqModel m = LongLived.build(() -> new VqModel(config, precision, device));
    LOG.debug("VQ model built: {} parameters, downsample {}, {} on {}", m.parameterCount(), config.downsampleFactor(),
        precision, device);
    return m;
  }

  /** The architecture. */
  public VqConfig config() {
    return config;
  }

  /** The precision of encoder and decoder. */
  public Precision precision() {
    return precision;
  }

  /** The device the weights live on. */
  public DeviceSpec deviceSpec() {
    return deviceSpec;
  }

  /** The encoder. */
  public VqEncoder encoder() {
    return encoder;
  }

  /** The decoder. */
  public VqDecoder decoder() {
    return decoder;
  }

  /** The quantizer. */
  public VectorQuantizer quantizer() {
    return quantize;
  }

  /** Codebook entries. */
  public int codebookSize() {
    return config.codebookSize();
  }

  /** Pixels per token side. */
  public int downsampleFactor() {
    return config.downsampleFactor();
  }

  /** Number of parameter elements (VQ-16: 71,883,403 as the reference counts them). */
  public long parameterCount() {
    long n = 0;
    for (Tensor t : parameters().get()) {
      n += t.numel();
    }
    return n;
  }

  // ------------------------------------------------------------------------------------------ weights

  /**
   * The names and shapes of the reference state dict, in the reference's order ({@code quantize.codebook_used}
   * right after {@code quantize.embedding.weight}).
   */
  public Map<String, long[]> stateDictShapes() {
    Map<String, long[]> out = new LinkedHashMap<>();
    try (PointerScope ignored = new PointerScope()) {
      StringTensorDict d = named_parameters(true);
      for (long i = 0; i < d.size(); i++) {
        String key = d.get(i).key().getString();
        out.put(key, d.get(i).value().sizes().vec().get());
        if (key.equals("quantize.embedding.weight")) {
          out.put(CODEBOOK_USED_KEY, new long[] {VqConfig.CODEBOOK_USED_LENGTH});
        }
      }
    }
    return out;
  }

  /** The reference name of the codebook-usage buffer. */
  public static final String CODEBOOK_USED_KEY = "quantize.codebook_used";

  /**
   * Copies weights in, by reference name. Every parameter must be present with its exact shape
   * ({@code quantize.codebook_used} is optional; absent, it is zeroed); every problem (missing,
   * unexpected, wrong shape, non-float) is collected and reported in one exception before anything is
   * copied, so a failed call leaves the model unchanged. Values are cast to the model's dtype
   * (round-to-nearest-even for bf16) and device. Tensors may be in any scope; nothing is retained.
   *
   * @throws IllegalArgumentException naming every bad key
   */
  public void loadStateDict(Map<String, Tensor> stateDict) {
    checkOpen();
    Map<String, long[]> expected = stateDictShapes();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      Tensor t = stateDict.get(e.getKey());
      if (t == null) {
        if (!e.getKey().equals(CODEBOOK_USED_KEY)) {
          problems.add("missing " + e.getKey() + " " + Arrays.toString(e.getValue()));
        }
        continue;
      }
      long[] got = t.sizes().vec().get();
      if (!Arrays.equals(got, e.getValue())) {
        problems.add("shape of " + e.getKey() + ": expected " + Arrays.toString(e.getValue()) + ", got "
            + Arrays.toString(got));
      } else if (!t.is_floating_point()) {
        problems.add(e.getKey() + " must be a floating-point tensor, got " + t.scalar_type());
      }
    }
    for (String k : stateDict.keySet()) {
      if (!expected.containsKey(k)) {
        problems.add("unexpected " + k);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("VQ state dict does not match the " + describe() + " architecture ("
          + problems.size() + " problem(s)): " + String.join("; ", problems));
    }
    try (PointerScope ignored = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      StringTensorDict d = named_parameters(true);
      for (long i = 0; i < d.size(); i++) {
        d.get(i).value().copy_(stateDict.get(d.get(i).key().getString()));
      }
      Tensor used = stateDict.get(CODEBOOK_USED_KEY);
      if (used != null) {
        codebookUsed.copy_(used);
      } else {
        codebookUsed.zero_();
      }
    }
  }

  /**
   * The reference state dict: every parameter plus {@code quantize.codebook_used}, by reference name in the
   * reference's order, as new fp32 CPU tensors in the caller's scope (bf16 weights are widened exactly). Feed
   * it to {@code SafetensorsWriter} to export a file that loads in Python with {@code load_state_dict}.
   */
  public Map<String, Tensor> stateDict() {
    checkOpen();
    Map<String, Tensor> out = new LinkedHashMap<>();
    Device cpu = new Device("cpu");
    StringTensorDict d = named_parameters(true);
    for (long i = 0; i < d.size(); i++) {
      String key = d.get(i).key().getString();
      out.put(key, d.get(i).value().detach().to(cpu, ScalarType.Float).clone());
      if (key.equals("quantize.embedding.weight")) {
        out.put(CODEBOOK_USED_KEY, codebookUsed.to(cpu, ScalarType.Float).clone());
      }
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------ encode

  /**
   * Encodes images {@code x (B, 3, H, W)} with values in the reference's {@code [-1, 1]} range
   * ({@code H}, {@code W} multiples of {@link #downsampleFactor()}); the result is in the caller's scope.
   *
   * @throws IllegalArgumentException for a wrong shape or a non-float tensor
   */
  public VqEncoding encodeLatents(Tensor x) {
    checkOpen();
    checkImages(x);
    long b = x.size(0);
    int chunk = maxBatch;
    try (NoGradGuard g = new NoGradGuard()) {
      PointerScope outer = Scopes.outer();
      try (PointerScope ignored = new PointerScope()) {
        List<Tensor> quants = new ArrayList<>();
        List<Tensor> codes = new ArrayList<>();
        VqEncoding enc = null;
        for (long start = 0; start < b; start += chunk) {
          // one chunk's activations at a time; the small results are kept
          try (PointerScope perChunk = new PointerScope()) {
            Tensor xs = x.narrow(0, start, Math.min(chunk, b - start)).to(device, precision.scalarType());
            enc = quantize.quantize(quantConv.forward(encoder.forward(xs)));
            quants.add(Scopes.handOut(enc.quant(), ignored));
            codes.add(Scopes.handOut(enc.codes(), ignored));
          }
        }
        Tensor quant = quants.size() == 1 ? quants.get(0) : cat(new TensorVector(quants.toArray(new Tensor[0])), 0);
        Tensor code = codes.size() == 1 ? codes.get(0) : cat(new TensorVector(codes.toArray(new Tensor[0])), 0);
        return new VqEncoding(Scopes.handOut(quant, outer), Scopes.handOut(code, outer), enc.gridHeight(),
            enc.gridWidth());
      }
    }
  }

  // ------------------------------------------------------------------------------------------ decode

  /**
   * The quantized latents of {@code codes (B, h*w)} (int64 or int32, validated): normalised codebook rows
   * as {@code (B, D, h, w)} fp32 on the model's device, in the caller's scope ({@code get_codebook_entry}).
   */
  public Tensor codesToLatents(Tensor codes, int gridHeight, int gridWidth) {
    checkOpen();
    checkCodes(codes, gridHeight, gridWidth);
    try (NoGradGuard g = new NoGradGuard()) {
      return quantize.lookup(codes.to(device, ScalarType.Long), gridHeight, gridWidth);
    }
  }

  /**
   * The reference {@code decode(quant) = decoder(post_quant_conv(quant))} for latents {@code (B, D, h, w)};
   * the unclamped images {@code (B, 3, h*f, w*f)} are fp32 on the model's device, in the caller's scope.
   */
  public Tensor decodeLatents(Tensor quant) {
    checkOpen();
    long[] s = quant.sizes().vec().get();
    if (s.length != 4 || s[1] != config.codebookEmbedDim()) {
      throw new IllegalArgumentException("latents must be (B, " + config.codebookEmbedDim() + ", h, w), got shape "
          + Arrays.toString(s));
    }
    long b = s[0];
    int chunk = maxBatch;
    try (NoGradGuard g = new NoGradGuard()) {
      PointerScope outer = Scopes.outer();
      try (PointerScope ignored = new PointerScope()) {
        List<Tensor> parts = new ArrayList<>();
        for (long start = 0; start < b; start += chunk) {
          // one chunk's activations at a time; only its image survives the chunk's scope
          try (PointerScope perChunk = new PointerScope()) {
            Tensor h = postQuantConv.forward(quant.narrow(0, start, Math.min(chunk, b - start))
                .to(device, precision.scalarType()));
            parts.add(Scopes.handOut(decoder.forward(h).to(ScalarType.Float), ignored));
          }
        }
        Tensor out = parts.size() == 1 ? parts.get(0) : cat(new TensorVector(parts.toArray(new Tensor[0])), 0);
        return Scopes.handOut(out, outer);
      }
    }
  }

  /**
   * The most images run through the encoder or decoder at once (default 8). Larger batches are processed in
   * chunks of this size, which bounds the peak memory (a 256 px VQ-16 decode holds a few full-resolution
   * 128-channel activations per image: 268 MB each for 8 images in fp32) at no cost in speed, since the
   * convolutions' work is per image. Results equal an unchunked run up to kernel-choice rounding.
   */
  public int maxBatch() {
    return maxBatch;
  }

  /** Sets {@link #maxBatch()}, at least 1. */
  public void setMaxBatch(int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
    }
    this.maxBatch = maxBatch;
  }

  /**
   * The reference {@code decode_code(codes, [B, D, h, w])}: raw decoder output for codes of a
   * {@code gridHeight x gridWidth} grid, unclamped (≈[-1, 1]), fp32 {@code (B, 3, H, W)} on the model's
   * device, in the caller's scope.
   *
   * @throws IllegalArgumentException for codes of the wrong shape, dtype or range
   */
  public Tensor decodeRaw(Tensor codes, int gridHeight, int gridWidth) {
    checkOpen();
    PointerScope outer = Scopes.outer();
    try (PointerScope ignored = new PointerScope()) {
      return Scopes.handOut(decodeLatents(codesToLatents(codes, gridHeight, gridWidth)), outer);
    }
  }

  /** {@link #decodeRaw(Tensor, int, int)} for square grids: {@code codes (B, g*g)}. */
  public Tensor decodeRaw(Tensor codes) {
    int g = squareGrid(codes);
    return decodeRaw(codes, g, g);
  }

  // ------------------------------------------------------------------------------------------ checks

  /**
   * Validates codes: a 2-D int64/int32 tensor {@code (B, gridHeight*gridWidth)} with every value in
   * {@code [0, codebookSize)}.
   *
   * @throws IllegalArgumentException saying what was expected and what came
   */
  public void checkCodes(Tensor codes, int gridHeight, int gridWidth) {
    if (gridHeight < 1 || gridWidth < 1) {
      throw new IllegalArgumentException("grid must be at least 1x1, got " + gridHeight + "x" + gridWidth);
    }
    long[] s = codes.sizes().vec().get();
    ScalarType t = Dtypes.of(codes);
    if (t != ScalarType.Long && t != ScalarType.Int) {
      throw new IllegalArgumentException("codes must be an int64 or int32 tensor, got " + t);
    }
    if (s.length != 2 || s[0] < 1 || s[1] != (long) gridHeight * gridWidth) {
      throw new IllegalArgumentException("codes must be (B, " + ((long) gridHeight * gridWidth) + ") for a "
          + gridHeight + "x" + gridWidth + " grid, got shape " + Arrays.toString(s));
    }
    try (PointerScope ignored = new PointerScope()) {
      long min = codes.min().item().toLong();
      long max = codes.max().item().toLong();
      if (min < 0 || max >= config.codebookSize()) {
        throw new IllegalArgumentException("codes must be in [0, " + config.codebookSize() + "), got values from "
            + min + " to " + max);
      }
    }
  }

  private int squareGrid(Tensor codes) {
    long[] s = codes.sizes().vec().get();
    if (s.length != 2) {
      throw new IllegalArgumentException("codes must be a 2-D (B, g*g) tensor, got shape " + Arrays.toString(s));
    }
    long g = Math.round(Math.sqrt((double) s[1]));
    if (g * g != s[1] || g < 1) {
      throw new IllegalArgumentException("codes of a square grid need a perfect-square length, got (B, " + s[1]
          + "); use decodeRaw(codes, h, w) for other grids");
    }
    return (int) g;
  }

  private void checkImages(Tensor x) {
    long[] s = x.sizes().vec().get();
    int f = config.downsampleFactor();
    if (s.length != 4 || s[0] < 1 || s[1] != VqConfig.IMAGE_CHANNELS || s[2] < f || s[3] < f || s[2] % f != 0
        || s[3] % f != 0) {
      throw new IllegalArgumentException("images must be (B, 3, H, W) with H and W positive multiples of the "
          + "downsample factor " + f + ", got shape " + Arrays.toString(s));
    }
    if (!x.is_floating_point()) {
      throw new IllegalArgumentException("images must be a floating-point tensor, got " + x.scalar_type());
    }
  }

  private String describe() {
    return "VQ (ch " + config.channels() + ", ch_mult " + config.encoderChannelMultipliers() + ", z "
        + config.zChannels() + ", codebook " + config.codebookSize() + "x" + config.codebookEmbedDim() + ")";
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this VqModel is closed");
    }
  }

  /** Frees the weights; idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      // the wrappers this class keeps hold the tensors too: empty them so the memory goes now
      ModuleMemory.release(this);
      codebookUsed.releaseReference();
      super.close();
    }
  }
}
