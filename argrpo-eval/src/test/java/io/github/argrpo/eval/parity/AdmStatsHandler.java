package io.github.argrpo.eval.parity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.eval.imagenet.adm.DistancePath;
import io.github.argrpo.eval.imagenet.adm.FeatureMatrix;
import io.github.argrpo.eval.imagenet.adm.FeatureStatistics;
import io.github.argrpo.eval.imagenet.adm.FrechetDistance;
import io.github.argrpo.eval.imagenet.adm.InceptionScore;
import io.github.argrpo.eval.imagenet.adm.ManifoldPrecisionRecall;

/**
 * Kind {@code adm-stats}: the ADM evaluator's FID, sFID, Inception Score, precision and recall from the
 * fixture's activations. Every case's {@code expected} entry is asserted with its tolerance
 * (precision/recall against the evaluator's fp16 values, since fp16 distances are emulated), the
 * {@code fp32_distances} alternatives against the fp32 path, and the intermediates the case stores
 * that this code has (means, sigma diagonal/trace/rows/full, the FID mean term and square-root trace,
 * IS with other splits, radii and per-point decisions). Shapes, case names and parameters all come from {@code config.json}.
 */
public final class AdmStatsHandler implements EvalFixtureHandler {

  private static final Logger LOG = LoggerFactory.getLogger(AdmStatsHandler.class);

  @Override
  public boolean handles(String kind) {
    return "adm-stats".equals(kind);
  }

  @Override
  public Stream<? extends DynamicNode> cases(Path fixtureDir, JsonNode config) throws Exception {
    String folder = fixtureDir.getFileName().toString();
    Context ctx = new Context(fixtureDir, config);
    List<DynamicNode> out = new ArrayList<>();
    for (JsonNode c : config.path("cases")) {
      String name = c.path("name").asText();
      CaseRun run = new CaseRun(ctx, c);
      List<DynamicTest> tests = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = c.path("expected").fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        String output = e.getKey();
        String tensor = e.getValue().asText();
        tests.add(DynamicTest.dynamicTest(folder + " / " + name + " / " + output,
            () -> run.check(output, tensor, run.metric(output, DistancePath.FP16))));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = c.path("alternatives").fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        String output = e.getKey();
        JsonNode fp32 = e.getValue().get("fp32_distances");
        if (fp32 != null) {
          tests.add(DynamicTest.dynamicTest(folder + " / " + name + " / " + output + " (fp32 distances)",
              () -> run.check(output, fp32.asText(), run.metric(output, DistancePath.FP32))));
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = c.path("intermediates").fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        String inter = e.getKey();
        String tensor = e.getValue().asText();
        Supplier<double[]> actual = run.intermediate(inter);
        if (actual != null) {
          tests.add(DynamicTest.dynamicTest(folder + " / " + name + " / " + inter,
              () -> run.checkArray(inter, tensor, actual.get())));
        }
      }
      out.add(DynamicContainer.dynamicContainer(folder + " / " + name, tests));
    }
    return out.stream();
  }

  /** The fixture's tensors and parameters, shared by its cases. */
  private static final class Context {
    final JsonNode config;
    final FixtureTensors tensors;
    final Map<String, FeatureMatrix> matrices = new HashMap<>();

    Context(Path dir, JsonNode config) throws Exception {
      this.config = config;
      this.tensors = new FixtureTensors(dir, config);
    }

    synchronized FeatureMatrix matrix(String name) {
      return matrices.computeIfAbsent(name, n -> {
        long[] s = tensors.shape(n);
        return new FeatureMatrix(tensors.floats(n), (int) s[0], (int) s[1]);
      });
    }

    ManifoldPrecisionRecall pr(DistancePath path) {
      JsonNode p = config.path("params");
      return new ManifoldPrecisionRecall(p.path("nhood_sizes").path(0).asInt(3),
          p.path("row_batch_size").asInt(10_000), p.path("col_batch_size").asInt(10_000), path);
    }
  }

  /** One case: computes each metric once, on first use. */
  private static final class CaseRun {
    final Context ctx;
    final JsonNode c;
    final JsonNode inputs;
    final Map<String, Object> memo = new HashMap<>();

    CaseRun(Context ctx, JsonNode c) {
      this.ctx = ctx;
      this.c = c;
      this.inputs = c.path("inputs");
    }

    FeatureMatrix input(String role) {
      JsonNode n = inputs.get(role);
      if (n == null) {
        throw new AssertionError("case " + c.path("name").asText() + " has no input '" + role + "'");
      }
      return ctx.matrix(n.asText());
    }

    @SuppressWarnings("unchecked")
    synchronized <T> T memo(String key, Supplier<T> f) {
      Object v = memo.get(key);
      if (v == null) {
        v = f.get();
        memo.put(key, v);
      }
      return (T) v;
    }

    FeatureStatistics stats(String role) {
      return memo("stats:" + role, () -> input(role).statistics());
    }

    FrechetDistance.Result distance(String set) {
      return memo("fd:" + set, () -> FrechetDistance.compute(stats("sample_" + set), stats("ref_" + set)));
    }

    /** The diagonal, the trace, the first rows (as many as the stored tensor has) or all of sigma. */
    double[] sigmaPart(FeatureStatistics st, String part) {
      int d = st.dim();
      double[] sigma = st.sigma();
      switch (part) {
        case "_sigma_diag": {
          double[] v = new double[d];
          for (int i = 0; i < d; i++) {
            v[i] = st.variance(i);
          }
          return v;
        }
        case "_sigma_trace":
          return new double[] {st.trace()};
        case "_sigma_rows":
          return sigma; // cut to the stored row count in checkArray
        default:
          return sigma;
      }
    }

    ManifoldPrecisionRecall.Result pr(DistancePath path) {
      return memo("pr:" + path, () -> ctx.pr(path).compute(input("ref_pool"), input("sample_pool")));
    }

    double metric(String output, DistancePath path) {
      switch (output) {
        case "fid":
          return distance("pool").value();
        case "sfid":
          return distance("spatial").value();
        case "inception_score":
          return inceptionScore(ctx.config.path("params").path("is_split_size").asInt(InceptionScore.SPLIT_SIZE));
        case "precision":
          return pr(path).precision();
        case "recall":
          return pr(path).recall();
        default:
          throw new AssertionError("unknown adm-stats output '" + output + "'");
      }
    }

    double inceptionScore(int split) {
      String w = inputs.path("is_weight").asText();
      long[] s = ctx.tensors.shape(w);
      return InceptionScore.compute(input("sample_pool"), ctx.tensors.floats(w), (int) s[1], split);
    }

    /** How to compute intermediate {@code name}, or null for those not checked. */
    Supplier<double[]> intermediate(String name) {
      if (name.endsWith("_mu") && inputs.has(name.substring(0, name.length() - 3))) {
        String role = name.substring(0, name.length() - 3);
        return () -> widen(stats(role).mu());
      }
      for (String suffix : new String[] {"_sigma_diag", "_sigma_trace", "_sigma_rows", "_sigma"}) {
        String role = name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : null;
        if (role != null && inputs.has(role)) {
          return () -> sigmaPart(stats(role), suffix);
        }
      }
      for (String m : new String[] {"fid", "sfid"}) {
        String set = m.equals("fid") ? "pool" : "spatial";
        if (name.equals(m + "_mean_term") && inputs.has("ref_" + set)) {
          return () -> new double[] {distance(set).meanTerm()};
        }
        if (name.equals(m + "_trace_covmean") && inputs.has("ref_" + set)) {
          return () -> new double[] {distance(set).traceCovmean()};
        }
      }
      if (name.startsWith("inception_score_split")) {
        int split = Integer.parseInt(name.substring("inception_score_split".length()));
        return () -> new double[] {inceptionScore(split)};
      }
      boolean fp32 = name.endsWith("_fp32");
      String base = fp32 ? name.substring(0, name.length() - 5) : name;
      DistancePath path = fp32 ? DistancePath.FP32 : DistancePath.FP16;
      switch (base) {
        case "ref_radii":
          return () -> widen(pr(path).refRadii());
        case "sample_radii":
          return () -> widen(pr(path).sampleRadii());
        case "ref_in_sample_manifold":
          return () -> widen(pr(path).refInSampleManifold());
        case "sample_in_ref_manifold":
          return () -> widen(pr(path).sampleInRefManifold());
        default:
          return null;
      }
    }

    void check(String output, String tensor, double actual) {
      Tolerance tol = Tolerance.of(ctx.config, c, output);
      if (tol == null) {
        throw new AssertionError("no tolerance for output '" + output + "' in config.json");
      }
      double expected = ctx.tensors.scalar(tensor);
      LOG.info("adm-stats / {} / {} ({}): got {}, expected {}, relative error {}", c.path("name").asText(), output,
          tensor, actual, expected, Math.abs(actual - expected) / Math.max(Math.abs(expected), Double.MIN_NORMAL));
      if (!tol.accepts(actual, expected, Math.abs(expected))) {
        throw new AssertionError(String.format("%s: got %.17g, expected %.17g (%s), |diff| %.3g, rel %.3g, %s",
            output, actual, expected, tensor, Math.abs(actual - expected),
            Math.abs(actual - expected) / Math.max(Math.abs(expected), Double.MIN_NORMAL), tol));
      }
    }

    void checkArray(String name, String tensor, double[] actual) {
      Tolerance tol = Tolerance.of(ctx.config, c, name);
      // intermediates documented as "as the metric" take the metric's tolerance
      if (tol == null && (name.startsWith("fid_") || name.startsWith("sfid_"))) {
        tol = Tolerance.of(ctx.config, c, name.substring(0, name.indexOf('_')));
      }
      if (tol == null && name.startsWith("inception_score_split")) {
        tol = Tolerance.of(ctx.config, c, "inception_score");
      }
      if (tol == null) {
        tol = Tolerance.EXACT;
      }
      double[] expected = ctx.tensors.doubles(tensor);
      if (name.endsWith("_sigma_rows") && actual.length > expected.length) {
        actual = Arrays.copyOf(actual, expected.length); // the stored first rows of sigma
      }
      if (expected.length != actual.length) {
        throw new AssertionError(name + ": " + actual.length + " values, expected " + expected.length);
      }
      int bad = 0;
      int first = -1;
      for (int i = 0; i < expected.length; i++) {
        if (!tol.accepts(actual[i], expected[i], Math.abs(expected[i]))) {
          bad++;
          if (first < 0) {
            first = i;
          }
        }
      }
      if (bad > 0) {
        throw new AssertionError(String.format("%s: %d of %d values outside %s; first at %d: got %.9g, expected %.9g",
            name, bad, expected.length, tol, first, actual[first], expected[first]));
      }
    }
  }

  private static double[] widen(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  private static double[] widen(boolean[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i] ? 1 : 0;
    }
    return d;
  }
}
