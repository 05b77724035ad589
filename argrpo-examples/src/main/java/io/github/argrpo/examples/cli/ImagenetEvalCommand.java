package io.github.argrpo.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.eval.imagenet.ImageNetEvaluator;
import io.github.argrpo.eval.imagenet.ImageNetMetrics;
import io.github.argrpo.eval.imagenet.SetFeatures;
import io.github.argrpo.eval.imagenet.adm.DistancePath;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code argrpo eval imagenet}: the five numbers of Table 2 (FID, sFID, Inception Score, precision,
 * recall) of a sample set against an ADM reference batch, as OpenAI's evaluator computes them; see
 * {@link ImageNetEvaluator}. Prints them and writes them with the settings as JSON ({@code --out}).
 */
@Command(name = "imagenet", mixinStandardHelpOptions = true,
    description = {"FID, sFID, Inception Score, precision and recall of --samples against the ADM reference batch --ref, "
        + "as guided-diffusion's evaluator computes them (TF-2015 InceptionV3 from --inception).",
        "The reference activations are cached beside the reference .npz after the first run."})
public final class ImagenetEvalCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--samples", required = true, paramLabel = "NPZ|DIR",
      description = "Sample images: an .npz with arr_0 (uint8 N x H x W x 3, as 'argrpo export adm-npz' writes) or a folder of PNGs.")
  Path samples;

  @Option(names = "--ref", required = true, paramLabel = "NPZ",
      description = "The ADM reference batch, e.g. VIRTUAL_imagenet256_labeled.npz (arr_0, and mu/sigma/mu_s/sigma_s when present).")
  Path ref;

  @Option(names = "--inception", required = true, paramLabel = "FILE",
      description = "InceptionV3 weights for FID: pt_inception-2015-12-05-6726825d.pth as downloaded (or the same keys as safetensors).")
  Path inception;

  @Option(names = "--precision", defaultValue = "fp32", description = "Network arithmetic: fp32 (the TF graph's) or bf16 (default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(names = "--distances", defaultValue = "fp16",
      description = "Precision/recall distances: fp16 (what the ADM evaluator computed, emulated) or fp32 (default: ${DEFAULT-VALUE}).")
  String distances;

  @Option(names = "--batch", defaultValue = "50", description = "Images per network call (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the numbers and settings as JSON here.")
  Path out;

  @Option(names = "--no-progress", description = "Do not draw the progress display.")
  boolean noProgress;

  @Override
  public Integer call() throws Exception {
    for (Path p : new Path[] {samples, ref, inception}) {
      if (!Files.exists(p)) {
        throw new ConfigException("no such file or folder: " + p);
      }
    }
    if (batch < 1) {
      throw new ConfigException("--batch must be >= 1, got " + batch);
    }
    Precision prec;
    DistancePath path;
    try {
      prec = Precision.parse(precision);
      path = DistancePath.parse(distances);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    SetFeatures.Progress progress = noProgress ? null : new SetFeatures.Progress() {
      private IntConsumer bar;
      private int total = -1;

      @Override
      public void update(int done, int all) {
        if (all != total || bar == null) {
          total = all;
          bar = ProgressBar.counter(true, "inception", all);
        }
        bar.accept(done);
      }
    };
    ImageNetMetrics m = new ImageNetEvaluator(prec, path, batch).evaluate(samples, ref, inception, progress);
    PrintWriter o = spec.commandLine().getOut();
    o.printf(Locale.ROOT, "FID %.4f  sFID %.4f  IS %.4f  precision %.4f  recall %.4f%n", m.fid(), m.sfid(),
        m.inceptionScore(), m.precision(), m.recall());
    o.printf(Locale.ROOT, "(%d samples, %d reference images; network %s, %s distances, reference statistics: %s)%n",
        m.samples(), m.referenceImages(), m.networkPrecision(), m.distancePath(), m.referenceStatistics());
    o.flush();
    if (out != null) {
      Map<String, Object> json = new LinkedHashMap<>();
      Map<String, Object> metrics = new LinkedHashMap<>();
      metrics.put("fid", m.fid());
      metrics.put("sfid", m.sfid());
      metrics.put("inception_score", m.inceptionScore());
      metrics.put("precision", m.precision());
      metrics.put("recall", m.recall());
      json.put("metrics", metrics);
      json.put("samples", samples.toString());
      json.put("ref", ref.toString());
      json.put("inception", inception.toString());
      json.put("details", m);
      if (out.toAbsolutePath().getParent() != null) {
        Files.createDirectories(out.toAbsolutePath().getParent());
      }
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), json);
    }
    return 0;
  }
}
