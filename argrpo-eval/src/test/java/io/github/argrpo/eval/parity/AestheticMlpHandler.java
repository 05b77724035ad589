package io.github.argrpo.eval.parity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

import io.github.argrpo.eval.drawbench.TensorArrays;
import io.github.argrpo.eval.drawbench.aesthetic.AestheticMlp;
import io.github.argrpo.weights.SafetensorsFile;

/**
 * {@code aesthetic-mlp} fixtures: {@link AestheticMlp} loaded from the fixture's
 * {@code weights.safetensors} (the reference's key names), run on each case's embeddings, against the
 * {@code normalized} and {@code score} the reference ({@code simple_inference.py}) produced.
 */
public final class AestheticMlpHandler implements EvalFixtureHandler {

  @Override
  public boolean handles(String kind) {
    return "aesthetic-mlp".equals(kind);
  }

  @Override
  public Stream<? extends DynamicNode> cases(Path dir, JsonNode config) throws Exception {
    AestheticMlp mlp = AestheticMlp.load(dir.resolve("weights.safetensors"));
    String folder = dir.getFileName().toString();
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : config.get("cases")) {
      String name = c.get("name").asText();
      for (Map.Entry<String, JsonNode> e : iterable(c.get("expected"))) {
        String output = e.getKey();
        String tensor = e.getValue().asText();
        JsonNode tol = c.has("tolerance") && c.get("tolerance").has(output) ? c.get("tolerance").get(output)
            : config.get("tolerance").get(output);
        tests.add(DynamicTest.dynamicTest(folder + " / " + name + " / " + output, () -> {
          float[][] emb = matrix(dir, c.get("inputs").get("embedding").asText());
          float[][] want = matrix(dir, tensor);
          for (int i = 0; i < emb.length; i++) {
            float[] normalized = AestheticMlp.normalize(emb[i]);
            double[] got = switch (output) {
              case "normalized" -> toDouble(normalized);
              case "score" -> new double[] {mlp.forward(normalized)};
              default -> throw new IllegalArgumentException("aesthetic-mlp: unknown expected output " + output);
            };
            assertClose(got, want[i], tol, folder + " / " + name + " / " + output + " row " + i);
          }
        }));
      }
    }
    return tests.stream();
  }

  static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode obj) {
    return obj::fields;
  }

  /** A fixture tensor as rows (a 1-D tensor is one row per value). */
  static float[][] matrix(Path dir, String name) {
    try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("io.safetensors")); PointerScope s = new PointerScope()) {
      long[] shape = f.info(name).shape();
      float[] flat = TensorArrays.floats(f.read(name));
      int cols = shape.length >= 2 ? (int) shape[shape.length - 1] : 1;
      int rows = flat.length / cols;
      float[][] out = new float[rows][cols];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(flat, r * cols, out[r], 0, cols);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  /** The README's rule: {@code |a - e| <= atol + rtol |e|} elementwise. */
  static void assertClose(double[] got, float[] want, JsonNode tol, String what) {
    double rtol = tol.path("rtol").asDouble(0);
    double atol = tol.path("atol").asDouble(0);
    assertTrue(got.length == want.length, what + ": " + got.length + " values, expected " + want.length);
    for (int j = 0; j < got.length; j++) {
      double err = Math.abs(got[j] - want[j]);
      double bound = atol + rtol * Math.abs(want[j]);
      int k = j;
      assertTrue(err <= bound, () -> what + "[" + k + "]: got " + got[k] + ", expected " + want[k] + " (|err| " + err
          + " > " + bound + ")");
    }
  }
}
