package io.github.argrpo.rewards.torchscript;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.testing.Fixtures;
import io.github.argrpo.weights.SafetensorsFile;

/** The {@code ../shared/fixtures/torchscript} scorer and its expected outputs. */
final class TinyIqaFixture {

  static final double ATOL = 1e-5;

  private TinyIqaFixture() {}

  static Path dir() {
    return Fixtures.sharedDir().resolve("fixtures/torchscript");
  }

  static Path model() {
    return dir().resolve("tiny_iqa.pt");
  }

  /** The fixture images mapped from [-1, 1] back to [0, 1], as a batch the caller closes. */
  static ImageBatch images() {
    try (SafetensorsFile f = SafetensorsFile.open(dir().resolve("io.safetensors"));
        PointerScope s = new PointerScope()) {
      Tensor x = f.read("images");
      return ImageBatch.wrap(x.add(new Scalar(1.0)).div(new Scalar(2.0)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The scores the Python model returned. */
  static double[] scores() {
    try (SafetensorsFile f = SafetensorsFile.open(dir().resolve("io.safetensors"));
        PointerScope s = new PointerScope()) {
      Tensor t = f.read("scores").contiguous();
      float[] v = new float[(int) t.numel()];
      new FloatPointer(t.data_ptr_float()).get(v);
      double[] d = new double[v.length];
      for (int i = 0; i < v.length; i++) {
        d[i] = v[i];
      }
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
