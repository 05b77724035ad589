package io.github.argrpo.eval.parity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.eval.imagenet.inception.FidInceptionV3;
import io.github.argrpo.eval.imagenet.inception.InceptionKernels;
import io.github.argrpo.eval.imagenet.inception.InceptionOutputs;
import io.github.argrpo.eval.imagenet.inception.TfBilinearResize;

/**
 * Kind {@code inception-fid}: the TF-2015 InceptionV3 (FID port) loaded from the fixture's
 * {@code weights.safetensors} through the same loader as the downloadable file, fed each case's uint8
 * NHWC images; every {@code expected} output is asserted with the fixture's max-scaled tolerance
 * ({@code |a - e| <= atol + rtol * max|e|}). The softmaxes are taken of the network's logits with a
 * plain float64 softmax written here.
 *
 * <p>Each case runs twice: with what {@code FidInceptionV3.load(path, FP32)} gives users
 * ({@link InceptionKernels#DEFAULT}: channels-last, batch norm folded; test names without a suffix) and
 * with the reference's op order ({@link InceptionKernels#PLAIN}, names ending {@code [plain]}), both
 * against the same reference values and tolerances.
 */
public final class InceptionFidHandler implements EvalFixtureHandler {

  private static final Logger LOG = LoggerFactory.getLogger(InceptionFidHandler.class);

  @Override
  public boolean handles(String kind) {
    return "inception-fid".equals(kind);
  }

  @Override
  public Stream<? extends DynamicNode> cases(Path fixtureDir, JsonNode config) throws Exception {
    String folder = fixtureDir.getFileName().toString();
    FixtureTensors tensors = new FixtureTensors(fixtureDir, config);
    Path weights = fixtureDir.resolve(config.path("weights").path("file").asText("weights.safetensors"));
    List<DynamicNode> out = new ArrayList<>();
    out.addAll(casesWith(folder, config, tensors, "", () -> FidInceptionV3.load(weights, Precision.FP32)));
    out.addAll(casesWith(folder, config, tensors, " [plain]",
        () -> FidInceptionV3.load(weights, Precision.FP32, InceptionKernels.PLAIN)));
    return out.stream();
  }

  /** Loads the network to test (lazily, once per kernels choice). */
  private interface NetLoader {
    FidInceptionV3 load() throws Exception;
  }

  private static List<DynamicNode> casesWith(String folder, JsonNode config, FixtureTensors tensors, String suffix,
      NetLoader loader) {
    FidInceptionV3[] net = new FidInceptionV3[1];
    List<DynamicNode> out = new ArrayList<>();
    for (JsonNode c : config.path("cases")) {
      String name = c.path("name").asText() + suffix;
      Map<String, float[]>[] results = new Map[1];
      List<DynamicTest> tests = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = c.path("expected").fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        String output = e.getKey();
        String tensor = e.getValue().asText();
        tests.add(DynamicTest.dynamicTest(folder + " / " + name + " / " + output, () -> {
          synchronized (net) {
            if (net[0] == null) {
              net[0] = loader.load();
            }
            if (results[0] == null) {
              results[0] = run(net[0], tensors, c.path("inputs").path("images").asText());
            }
          }
          float[] actual = results[0].get(output);
          if (actual == null) {
            throw new AssertionError("unknown inception-fid output '" + output + "'");
          }
          check(config, c, output, tensor, tensors, actual, folder + " / " + name);
        }));
      }
      out.add(DynamicContainer.dynamicContainer(folder + " / " + name, tests));
    }
    return out;
  }

  private static Map<String, float[]> run(FidInceptionV3 net, FixtureTensors tensors, String imagesName) {
    long[] s = tensors.shape(imagesName);
    int n = (int) s[0];
    int h = (int) s[1];
    int w = (int) s[2];
    int[] codes = tensors.bytes(imagesName);
    int size = TfBilinearResize.SIZE;
    float[] resized = new float[n * 3 * size * size];
    int per = h * w * 3;
    for (int i = 0; i < n; i++) {
      byte[] img = new byte[per];
      for (int k = 0; k < per; k++) {
        img[k] = (byte) codes[i * per + k];
      }
      TfBilinearResize.resize(img, h, w, size, resized, i * 3 * size * size);
    }
    InceptionOutputs o = net.forward(resized, n);
    return Map.of("resized", resized, "pool", o.pool(), "logits_unbiased", o.logitsUnbiased(), "logits", o.logits(),
        "softmax_unbiased", softmax(o.logitsUnbiased(), n), "softmax", softmax(o.logits(), n), "spatial", o.spatial());
  }

  /** Row softmax in float64, rounded to float32. */
  private static float[] softmax(float[] logits, int n) {
    int c = logits.length / n;
    float[] out = new float[logits.length];
    for (int i = 0; i < n; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < c; j++) {
        max = Math.max(max, logits[i * c + j]);
      }
      double sum = 0;
      for (int j = 0; j < c; j++) {
        sum += Math.exp(logits[i * c + j] - max);
      }
      for (int j = 0; j < c; j++) {
        out[i * c + j] = (float) (Math.exp(logits[i * c + j] - max) / sum);
      }
    }
    return out;
  }

  private static void check(JsonNode config, JsonNode c, String output, String tensor, FixtureTensors tensors,
      float[] actual, String where) {
    Tolerance tol = Tolerance.of(config, c, output);
    if (tol == null) {
      throw new AssertionError("no tolerance for output '" + output + "' in config.json");
    }
    double[] expected = tensors.doubles(tensor);
    if (expected.length != actual.length) {
      throw new AssertionError(output + ": " + actual.length + " values, expected " + expected.length);
    }
    double maxAbs = 0;
    for (double e : expected) {
      maxAbs = Math.max(maxAbs, Math.abs(e));
    }
    double worst = 0;
    int worstAt = 0;
    for (int i = 0; i < expected.length; i++) {
      double d = Math.abs(actual[i] - expected[i]);
      if (!(d <= worst)) {
        worst = d;
        worstAt = i;
      }
    }
    LOG.info("{} / {}: max |diff| {} = {} of max|expected| {}", where, output, worst, worst / maxAbs, maxAbs);
    if (!tol.accepts(actual[worstAt], expected[worstAt], maxAbs)) {
      throw new AssertionError(String.format("%s: max |diff| %.3g at %d (got %.9g, expected %.9g) exceeds %s with "
          + "max|expected| %.6g (relative %.3g)", output, worst, worstAt, actual[worstAt], expected[worstAt], tol,
          maxAbs, worst / maxAbs));
    }
  }
}
