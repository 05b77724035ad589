package io.github.argrpo.rewards.torchscript;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.NativeRuntime;

/**
 * A TorchScript scorer ({@code torch.jit.trace(...).save(path)} in Python) that maps a float batch
 * {@code (B, 3, H, W)} to one score per image: output shape {@code (B,)}, {@code (B, 1)} or any shape
 * with {@code B} elements, or a tuple whose first element is such a tensor.
 *
 * <pre>{@code
 * try (TorchScriptModel m = TorchScriptModel.load(Path.of("maniqa_koniq.pt"), DeviceSpec.CPU);
 *      PointerScope s = new PointerScope()) {
 *   double[] scores = m.forward(preprocessedBatch);
 * }
 * }</pre>
 *
 * <p><b>Ownership.</b> The module is created with its own reference, independent of any enclosing
 * {@code PointerScope}, and lives until {@link #close()}. {@link #forward} allocates only inside its own
 * scope. <b>Threads:</b> forward calls may run concurrently (TorchScript inference is reentrant); the
 * module is put in eval mode once, at load.
 */
public final class TorchScriptModel implements AutoCloseable {

  private final JitModule module;
  private final Path path;
  private final DeviceSpec device;
  private volatile boolean closed;

  private TorchScriptModel(JitModule module, Path path, DeviceSpec device) {
    this.module = module;
    this.path = path;
    this.device = device;
  }

  /**
   * Loads a TorchScript archive and moves it to {@code device}.
   *
   * @throws IllegalArgumentException when the file is missing, empty, not a zip archive (TorchScript files
   *     are zips; a {@code torch.save} state dict pickle is not), or libtorch cannot load it; the message
   *     names the file
   */
  public static TorchScriptModel load(Path file, DeviceSpec device) {
    checkArgument(file != null, "TorchScript model path must not be null");
    DeviceSpec dev = device == null ? DeviceSpec.CPU : device;
    checkArchive(file);
    NativeRuntime.init();
    JitModule m;
    try {
      m = torch.load(file.toAbsolutePath().toString());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("libtorch could not load TorchScript model " + file + ": " + firstLine(e)
          + " (export it with torch.jit.trace(...).save(path); see docs/maniqa-torchscript.md)", e);
    }
    // an enclosing PointerScope must not free the module: keep our own reference until close()
    m.retainReference();
    m.eval();
    if (!dev.spec().equals("cpu")) {
      try (PointerScope s = new PointerScope()) {
        Device d = dev.toDevice();
        m.to(d);
      } catch (RuntimeException e) {
        m.releaseReference();
        throw e;
      }
    }
    return new TorchScriptModel(m, file, dev);
  }

  private static void checkArchive(Path file) {
    checkArgument(Files.isRegularFile(file), "TorchScript model file not found: %s", file.toAbsolutePath());
    byte[] magic = new byte[4];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(magic, 0, 4);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read TorchScript model " + file + ": " + e.getMessage(), e);
    }
    checkArgument(n >= 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4,
        "TorchScript model %s is not a TorchScript archive (expected a zip file starting with 'PK', got %s); a "
            + "torch.save() state dict must be traced and saved with torch.jit first",
        file, n == 0 ? "an empty file" : "bytes " + Arrays.toString(Arrays.copyOf(magic, n)));
  }

  /** The archive this model was loaded from. */
  public Path path() {
    return path;
  }

  /** The device the module runs on. */
  public DeviceSpec device() {
    return device;
  }

  /**
   * Runs the module on {@code images} (float {@code (B, 3, H, W)}, already preprocessed; moved to the
   * model's device here) under {@code NoGradGuard} and returns the {@code B} scores.
   *
   * @throws IllegalArgumentException if the input is not 4-D with 3 channels, the module rejects it
   *     (for example a wrong image size), or the output does not hold one value per image
   */
  public double[] forward(Tensor images) {
    checkState(!closed, "this TorchScriptModel is closed");
    long[] shape = images.sizes().vec().get();
    if (shape.length != 4 || shape[1] != 3 || shape[0] < 1) {
      throw new IllegalArgumentException("TorchScript scorer input must be (B, 3, H, W) with B >= 1, got "
          + Arrays.toString(shape));
    }
    int b = (int) shape[0];
    try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
      Tensor x = images.to(ScalarType.Float);
      if (!device.spec().equals("cpu")) {
        x = x.to(device.toDevice(), ScalarType.Float);
      }
      IValue out;
      try {
        out = module.forward(new IValueVector(new IValue(x)));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("TorchScript model " + path.getFileName() + " failed on input "
            + Arrays.toString(shape) + ": " + firstLine(e), e);
      }
      Tensor t = scoresTensor(out);
      long[] os = t.sizes().vec().get();
      if (t.numel() != b) {
        throw new IllegalArgumentException("TorchScript model " + path.getFileName() + " returned shape "
            + Arrays.toString(os) + " for " + b + " images; expected one score per image ((B,) or (B, 1))");
      }
      Tensor flat = t.to(ScalarType.Float).cpu().contiguous().reshape(b);
      float[] v = new float[b];
      new FloatPointer(flat.data_ptr_float()).get(v);
      double[] d = new double[b];
      for (int i = 0; i < b; i++) {
        d[i] = v[i];
      }
      return d;
    }
  }

  private Tensor scoresTensor(IValue out) {
    if (out.isTensor()) {
      return out.toTensor();
    }
    if (out.isTuple() && out.toTuple().elements().size() > 0 && out.toTuple().elements().get(0).isTensor()) {
      return out.toTuple().elements().get(0).toTensor();
    }
    throw new IllegalArgumentException("TorchScript model " + path.getFileName() + " returned a "
        + out.tagKind().getString() + "; expected a tensor of scores (or a tuple starting with one)");
  }

  /** Frees the module. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      module.releaseReference();
    }
  }

  static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    String line = nl < 0 ? m : m.substring(0, nl);
    return line.length() <= 300 ? line : line.substring(0, 297) + "...";
  }
}
