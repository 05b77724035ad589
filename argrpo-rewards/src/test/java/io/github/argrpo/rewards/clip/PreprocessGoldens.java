package io.github.argrpo.rewards.clip;

import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.weights.SafetensorsFile;

/**
 * The reference outputs in {@code src/test/resources/goldens/preprocess.safetensors}, written by
 * {@code src/test/python/make_reward_goldens.py} with Pillow 9.4, torchvision 0.14 and the Hugging Face
 * CLIPImageProcessor's steps: keys {@code <path>/<case>/in} and {@code <path>/<case>/out} for the paths
 * {@code pil}, {@code clip} and {@code hps}.
 */
public final class PreprocessGoldens {

  private PreprocessGoldens() {}

  static Path file() {
    URL u = PreprocessGoldens.class.getResource("/goldens/preprocess.safetensors");
    checkState(u != null,
        "goldens/preprocess.safetensors is missing from the test resources; run "
            + "src/test/python/make_reward_goldens.py");
    try {
      return Path.of(u.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The case names of {@code path}, sorted. */
  public static List<String> cases(String path) {
    try (SafetensorsFile f = SafetensorsFile.open(file())) {
      return f.keys().stream().filter(k -> k.startsWith(path + "/") && k.endsWith("/in"))
          .map(k -> k.substring(path.length() + 1, k.length() - 3)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The tensor {@code key}, in the caller's {@code PointerScope}. */
  public static Tensor tensor(String key) {
    try (SafetensorsFile f = SafetensorsFile.open(file())) {
      return f.read(key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The values of {@code t} as floats. */
  public static float[] floats(Tensor t) {
    Tensor c = t.to(ScalarType.Float).contiguous();
    float[] out = new float[(int) c.numel()];
    new FloatPointer(c.data_ptr_float()).get(out);
    return out;
  }

  /** The values of an 8-bit tensor as bytes. */
  public static byte[] bytes(Tensor t) {
    Tensor c = t.to(ScalarType.Int).contiguous();
    int[] v = new int[(int) c.numel()];
    new IntPointer(c.data_ptr_int()).get(v);
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) v[i];
    }
    return out;
  }
}
