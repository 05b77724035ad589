package io.github.argrpo.models.vq;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.weights.SafetensorsWriter;
import io.github.argrpo.weights.WeightFiles;
import io.github.argrpo.weights.WeightSource;

/**
 * Builds {@link VqModel}s with weights, and writes them: from the official {@code vq_ds16_c2i.pt} /
 * {@code vq_ds16_t2i.pt}, the Hugging Face {@code FoundationVision/vq-ds16-c2i} safetensors, a
 * {@link WeightSource} or an in-memory state dict, all by the reference's key names. The architecture
 * presets are {@link VqConfig#vq16()} and {@link VqConfig#vq8()}.
 *
 * <pre>{@code
 * try (VqModel vq = VqLoader.load(VqConfig.vq16(), Path.of("vq_ds16_c2i.pt"), Precision.FP32, DeviceSpec.CPU)) {
 *   VqLoader.save(vq, Path.of("vq_ds16_c2i.safetensors"));
 * }
 * }</pre>
 */
public final class VqLoader {

  private VqLoader() {}

  /**
   * A model with the weights of a file holding the reference state dict, the format chosen by content
   * ({@link WeightFiles#open}): the official {@code vq_ds16_c2i.pt} / {@code vq_ds16_t2i.pt}
   * ({@code torch.save} of {@code {"model": state_dict}}), the Hugging Face {@code FoundationVision/vq-ds16-c2i}
   * {@code model.safetensors}, or a file written by {@link #save}.
   *
   * @throws IOException if the file cannot be read or is neither format
   * @throws IllegalArgumentException if its keys or shapes do not match {@code config} (every bad key named)
   */
  public static VqModel load(VqConfig config, Path weights, Precision precision, DeviceSpec device)
      throws IOException {
    try (WeightSource f = WeightFiles.open(weights)) {
      VqModel m = VqModel.create(config, precision, device);
      try {
        loadWeights(m, f);
      } catch (RuntimeException e) {
        m.close();
        throw new IllegalArgumentException(weights + ": " + e.getMessage(), e);
      }
      return m;
    }
  }

  /** A model with the weights of {@code stateDict} (reference names, see {@link VqModel#loadStateDict}). */
  public static VqModel fromStateDict(VqConfig config, Map<String, Tensor> stateDict, Precision precision,
      DeviceSpec device) {
    VqModel m = VqModel.create(config, precision, device);
    try {
      m.loadStateDict(stateDict);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    return m;
  }

  /**
   * Copies the weights of {@code source} into {@code model} (every tensor of it, by reference name;
   * checked like {@link VqModel#loadStateDict}). The source stays open and owned by the caller.
   */
  public static void loadWeights(VqModel model, WeightSource source) {
    try (PointerScope ignored = new PointerScope()) {
      Map<String, Tensor> sd = new LinkedHashMap<>();
      for (String k : source.keys()) {
        sd.put(k, source.read(k));
      }
      model.loadStateDict(sd);
    }
  }

  /**
   * Writes {@link VqModel#stateDict()} to a safetensors file (fp32, reference names), loadable in Python
   * with {@code VQModel.load_state_dict(safetensors.torch.load_file(path))}.
   */
  public static void save(VqModel model, Path path) throws IOException {
    try (PointerScope ignored = new PointerScope()) {
      SafetensorsWriter.write(path, model.stateDict());
    }
  }
}
