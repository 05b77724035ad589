package io.github.argrpo.eval.parity;

import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.weights.SafetensorsFile;

/**
 * The tensors of a fixture's {@code io.safetensors} as Java arrays, with the {@code config.decode}
 * rule applied to U8-coded activations ({@code (float32(u8) - offset) * scale}, one float32 rounding,
 * scale a number or the name of a per-column F32 vector).
 */
final class FixtureTensors implements AutoCloseable {

  private final SafetensorsFile file;
  private final JsonNode decode;

  FixtureTensors(Path fixtureDir, JsonNode config) throws IOException {
    this.file = SafetensorsFile.open(fixtureDir.resolve("io.safetensors"));
    this.decode = config.path("decode");
  }

  boolean has(String name) {
    return file.keys().contains(name);
  }

  long[] shape(String name) {
    return file.info(name).shape();
  }

  /** A tensor as float64 values (any stored dtype, not decoded). */
  double[] doubles(String name) {
    try (PointerScope scope = new PointerScope()) {
      Tensor t = file.read(name).to(ScalarType.Double).contiguous();
      double[] out = new double[(int) t.numel()];
      t.data_ptr_double().get(out);
      return out;
    }
  }

  /** A scalar stored as shape [1]. */
  double scalar(String name) {
    return doubles(name)[0];
  }

  /** Raw unsigned bytes of a U8 tensor, as ints. */
  int[] bytes(String name) {
    try (PointerScope scope = new PointerScope()) {
      Tensor t = file.read(name).to(ScalarType.Int).contiguous();
      int[] out = new int[(int) t.numel()];
      t.data_ptr_int().get(out);
      return out;
    }
  }

  /** A float32 tensor as stored, or a U8 one decoded by {@code config.decode}. */
  float[] floats(String name) {
    JsonNode rule = decode.get(name);
    if (rule == null) {
      try (PointerScope scope = new PointerScope()) {
        Tensor t = file.read(name).to(ScalarType.Float).contiguous();
        float[] out = new float[(int) t.numel()];
        t.data_ptr_float().get(out);
        return out;
      }
    }
    int[] codes = bytes(name);
    float offset = (float) rule.path("offset").asDouble();
    JsonNode scale = rule.path("scale");
    long[] shape = shape(name);
    int cols = (int) shape[shape.length - 1];
    float[] perColumn;
    if (scale.isNumber()) {
      perColumn = new float[cols];
      Arrays.fill(perColumn, (float) scale.asDouble());
    } else {
      perColumn = floats(scale.asText());
      checkState(perColumn.length == cols,
          "decode scale %s has %s values for %s columns of %s", scale.asText(), perColumn.length, cols, name);
    }
    float[] out = new float[codes.length];
    for (int i = 0; i < codes.length; i++) {
      out[i] = ((float) codes[i] - offset) * perColumn[i % cols];
    }
    return out;
  }

  @Override
  public void close() {
    file.close();
  }
}
