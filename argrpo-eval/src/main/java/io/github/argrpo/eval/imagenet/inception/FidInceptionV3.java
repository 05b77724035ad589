package io.github.argrpo.eval.imagenet.inception;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.MemoryFormat;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.eval.imagenet.RgbImage;
import io.github.argrpo.weights.StateDictLoader;
import io.github.argrpo.weights.WeightFiles;
import io.github.argrpo.weights.WeightSource;

/**
 * The TF-2015 InceptionV3 of FID ({@code pt_inception-2015-12-05-6726825d.pth}, as downloaded by
 * pytorch-fid and torch-fidelity: a {@code torch.save} of float32 tensors; safetensors with the same
 * keys load too), with the TF graph's input handling. Outputs pool_3, the logits with and without the
 * fc bias, and ADM's sFID spatial features.
 *
 * <pre>{@code
 * try (FidInceptionV3 net = FidInceptionV3.load(Path.of("pt_inception-2015-12-05-6726825d.pth"), Precision.FP32)) {
 *   InceptionOutputs out = net.features(images);   // List<RgbImage>: uint8 RGB, HWC
 * }
 * }</pre>
 *
 * <p>The convolutions run as {@link InceptionKernels#DEFAULT} unless the three-argument
 * {@link #load(Path, Precision, InceptionKernels)} asks otherwise: channels-last activations and the
 * batch norms folded into the convolutions, prepared once at load (about 2x faster than the
 * reference's op order in fp32 on CPU, same outputs up to float rounding).
 *
 * <p>The module owns native memory: build it outside any {@code PointerScope} and close it when done.
 * Not thread-safe (one forward at a time).
 */
public final class FidInceptionV3 extends Module implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FidInceptionV3.class);

  private final BasicConv2d conv1a;
  private final BasicConv2d conv2a;
  private final BasicConv2d conv2b;
  private final BasicConv2d conv3b;
  private final BasicConv2d conv4a;
  private final InceptionA mixed5b;
  private final InceptionA mixed5c;
  private final InceptionA mixed5d;
  private final InceptionB mixed6a;
  private final InceptionC mixed6b;
  private final InceptionC mixed6c;
  private final InceptionC mixed6d;
  private final InceptionC mixed6e;
  private final InceptionD mixed7a;
  private final InceptionE mixed7b;
  private final InceptionE mixed7c;
  private final Module fc; // held so its Java peer outlives libtorch's callbacks (train, to)
  private final Tensor fcWeight;
  private final Tensor fcBias;
  private final List<BasicConv2d> units = new ArrayList<>();
  private Precision precision = Precision.FP32;
  private InceptionKernels kernels = InceptionKernels.PLAIN;

  /** The architecture with placeholder weights; {@link #load} fills them. */
  public FidInceptionV3() {
    NativeRuntime.init();
    conv1a = register_module("Conv2d_1a_3x3", BasicConv2d.of(3, 32, 3, 2, 0));
    conv2a = register_module("Conv2d_2a_3x3", BasicConv2d.of(32, 32, 3));
    conv2b = register_module("Conv2d_2b_3x3", BasicConv2d.of(32, 64, 3, 1, 1));
    conv3b = register_module("Conv2d_3b_1x1", BasicConv2d.of(64, 80, 1));
    conv4a = register_module("Conv2d_4a_3x3", BasicConv2d.of(80, 192, 3));
    mixed5b = register_module("Mixed_5b", new InceptionA(192, 32));
    mixed5c = register_module("Mixed_5c", new InceptionA(256, 64));
    mixed5d = register_module("Mixed_5d", new InceptionA(288, 64));
    mixed6a = register_module("Mixed_6a", new InceptionB(288));
    mixed6b = register_module("Mixed_6b", new InceptionC(768, 128));
    mixed6c = register_module("Mixed_6c", new InceptionC(768, 160));
    mixed6d = register_module("Mixed_6d", new InceptionC(768, 160));
    mixed6e = register_module("Mixed_6e", new InceptionC(768, 192));
    mixed7a = register_module("Mixed_7a", new InceptionD(768));
    mixed7b = register_module("Mixed_7b", new InceptionE(1280, false));
    mixed7c = register_module("Mixed_7c", new InceptionE(2048, true));
    units.addAll(List.of(conv1a, conv2a, conv2b, conv3b, conv4a));
    for (ConvBlock b : List.<ConvBlock>of(mixed5b, mixed5c, mixed5d, mixed6a, mixed6b, mixed6c, mixed6d, mixed6e,
        mixed7a, mixed7b, mixed7c)) {
      units.addAll(b.units());
    }
    fc = register_module("fc", new Module());
    // own handles (register_parameter returns a reference into the module's dict, which moves as it grows)
    fcWeight = torch.zeros(InceptionOutputs.CLASSES, InceptionOutputs.POOL_DIM);
    fcBias = torch.zeros(InceptionOutputs.CLASSES);
    fc.register_parameter("weight", fcWeight, false);
    fc.register_parameter("bias", fcBias, false);
  }

  /**
   * Loads the network from {@code weights} (torch.save zip or safetensors, any float dtype, widened or
   * narrowed to {@code precision}); {@code num_batches_tracked} entries are ignored. Runs with
   * {@link InceptionKernels#DEFAULT}.
   *
   * @throws IOException if the file cannot be read
   * @throws io.github.argrpo.weights.StateDictMismatchException if it is not this network's state dict
   */
  public static FidInceptionV3 load(Path weights, Precision precision) throws IOException {
    return load(weights, precision, InceptionKernels.DEFAULT);
  }

  /**
   * {@link #load(Path, Precision)} with the convolutions run as {@code kernels} ask.
   *
   * @throws IOException if the file cannot be read
   * @throws io.github.argrpo.weights.StateDictMismatchException if it is not this network's state dict
   */
  public static FidInceptionV3 load(Path weights, Precision precision, InceptionKernels kernels) throws IOException {
    checkNotNull(weights, "weights");
    checkNotNull(precision, "precision");
    checkNotNull(kernels, "kernels");
    FidInceptionV3 net = new FidInceptionV3();
    try (WeightSource w = WeightFiles.open(weights); PointerScope scope = new PointerScope()) {
      StateDictLoader.defaults().alsoIgnoring("*num_batches_tracked").load(w, StateDictLoader.stateDict(net));
    } catch (IOException | RuntimeException e) {
      net.close();
      throw e;
    }
    net.setUp(precision, kernels);
    LOG.debug("InceptionV3 (FID) loaded from {} in {}, {}", weights, precision, kernels.label());
    return net;
  }

  /**
   * The architecture with placeholder weights (zero convolutions, identity batch norms) in
   * {@code precision}: same shapes and cost as the real network, for benchmarks.
   */
  public static FidInceptionV3 placeholder(Precision precision) {
    return placeholder(precision, InceptionKernels.DEFAULT);
  }

  /** {@link #placeholder(Precision)} with the convolutions run as {@code kernels} ask. */
  public static FidInceptionV3 placeholder(Precision precision, InceptionKernels kernels) {
    checkNotNull(precision, "precision");
    checkNotNull(kernels, "kernels");
    FidInceptionV3 net = new FidInceptionV3();
    net.setUp(precision, kernels);
    return net;
  }

  /** Derives the run tensors from the float32 state (before any cast), then casts the registered ones. */
  private void setUp(Precision p, InceptionKernels k) {
    if (!k.equals(InceptionKernels.PLAIN)) {
      for (BasicConv2d u : units) {
        u.prepare(k, p.scalarType());
      }
    }
    if (p != Precision.FP32) {
      to(p.scalarType(), false);
    }
    precision = p;
    kernels = k;
    eval();
  }

  /** The precision of weights and activations. */
  public Precision precision() {
    return precision;
  }

  /** How the convolutions run. */
  public InceptionKernels kernels() {
    return kernels;
  }

  /** Every conv + batch norm unit, stems first, in registration order. */
  List<BasicConv2d> units() {
    return Collections.unmodifiableList(units);
  }

  /** Frees the prepared run tensors, then the module. */
  @Override
  public void close() {
    for (BasicConv2d u : units) {
      u.releaseKernels();
    }
    super.close();
  }

  /**
   * Features of uint8 RGB images (any sizes): each resized as the TF graph does
   * ({@link TfBilinearResize}), then {@link #forward}.
   */
  public InceptionOutputs features(List<RgbImage> images) {
    int n = images.size();
    int size = TfBilinearResize.SIZE;
    float[] input = new float[n * 3 * size * size];
    for (int i = 0; i < n; i++) {
      RgbImage im = images.get(i);
      TfBilinearResize.resize(im.hwc(), im.height(), im.width(), size, input, i * 3 * size * size);
    }
    return forward(input, n);
  }

  /**
   * The Inception Score matrix of the ADM evaluator: {@code fc.weight} transposed, 2048 x 1008
   * row-major float32 (its softmax graph multiplies pool_3 by it and leaves out the bias).
   */
  public float[] inceptionScoreWeight() {
    try (PointerScope scope = new PointerScope()) {
      return floats(fcWeight.t());
    }
  }

  /**
   * The network on {@code n} already resized and normalised inputs ({@code n x 3 x 299 x 299} float32,
   * NCHW, as {@link TfBilinearResize} makes them).
   */
  public InceptionOutputs forward(float[] nchw, int n) {
    int size = TfBilinearResize.SIZE;
    checkArgument(n >= 1 && (long) n * 3 * size * size == nchw.length, "need %s x 3 x %s x %s floats, got %s", n,
        size, size, nchw.length);
    try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      Tensor x = Tensor.create(nchw, n, 3, size, size);
      if (precision != Precision.FP32) {
        x = x.to(precision.scalarType());
      }
      if (kernels.channelsLast()) {
        // every later op (convolutions, pools, concatenations) keeps the layout of its input
        x = x.contiguous(MemoryFormat.ChannelsLast);
      }
      x = conv2b.forward(conv2a.forward(conv1a.forward(x)));
      x = Pools.max3x3Stride2(x);
      x = conv4a.forward(conv3b.forward(x));
      x = Pools.max3x3Stride2(x);
      x = mixed5d.forward(mixed5c.forward(mixed5b.forward(x)));
      x = mixed6c.forward(mixed6b.forward(mixed6a.forward(x)));
      Tensor[] b6d = mixed6d.branches(x);
      // ADM's sFID tensor mixed_6/conv:0 is Mixed_6d's 1x1 branch; it keeps [..., :7] of NHWC and flattens
      Tensor spatial = b6d[0].narrow(1, 0, 7).permute(0, 2, 3, 1).reshape(n, -1);
      x = mixed6e.forward(InceptionC.concat(b6d));
      x = mixed7c.forward(mixed7b.forward(mixed7a.forward(x)));
      Tensor pool = torch.adaptive_avg_pool2d(x, 1, 1).reshape(n, InceptionOutputs.POOL_DIM);
      Tensor unbiased = torch.linear(pool, fcWeight, new TensorOptional());
      Tensor logits = torch.linear(pool, fcWeight, new TensorOptional(fcBias));
      return new InceptionOutputs(n, floats(pool), floats(unbiased), floats(logits), floats(spatial));
    }
  }

  private static float[] floats(Tensor t) {
    Tensor f = t.to(ScalarType.Float).contiguous();
    float[] out = new float[(int) f.numel()];
    f.data_ptr_float().get(out);
    return out;
  }
}
