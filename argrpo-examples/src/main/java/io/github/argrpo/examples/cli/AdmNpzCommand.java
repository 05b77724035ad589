package io.github.argrpo.examples.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.examples.export.BicubicResize;
import io.github.argrpo.examples.export.ImageSampler;
import io.github.argrpo.examples.export.NpzWriter;
import io.github.argrpo.examples.export.Uint8Conversion;
import io.github.argrpo.examples.run.LoadedModels;
import io.github.argrpo.examples.run.PolicyWeights;
import io.github.argrpo.examples.run.RunConfig;
import io.github.argrpo.core.image.Png;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code argrpo export adm-npz}: class-conditional samples for OpenAI's ADM evaluator
 * ({@code evaluator.py VIRTUAL_imagenet256_labeled.npz samples.npz}), as AR-GRPO's {@code test.py}
 * makes them: 50 per class, CFG 2.0, top-k 0, top-p 1, temperature 1, seed 0, one uint8 NHWC array
 * {@code arr_0}, class {@code i}'s images at rows {@code [50 i, 50 i + 50)}. The paper's Table 2 instead
 * resizes 384 px samples to 256 ({@code --resize 256}, LlamaGen's bicubic; {@code docs/reproducing.md}).
 */
@Command(name = "adm-npz", mixinStandardHelpOptions = true,
    description = {"Samples N images per class into an ADM-evaluator .npz (arr_0, uint8, N*classes x H x W x 3).",
        "Defaults follow AR-GRPO's evaluation: 50 per class, CFG 2.0, top-k 0, top-p 1, temperature 1, seed 0, "
            + "truncating uint8 conversion, no resize; --resize 256 applies LlamaGen's bicubic 384->256 "
            + "(the paper's Table 2 protocol, with --uint8 llamagen).",
        "An interrupted export keeps what it wrote; --resume continues it."})
public final class AdmNpzCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions config;

  @Mixin
  SamplingOptions sampling;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The .npz to write.")
  Path out;

  @Option(names = "--per-class", defaultValue = "50", description = "Images per class (default: ${DEFAULT-VALUE}).")
  int perClass;

  @Option(names = "--classes", paramLabel = "LIST", description = "Classes, e.g. 0-999 (default: every class of the config).")
  String classes;

  @Option(names = "--resize", paramLabel = "PX", description = "Bicubic resize to PX x PX before the uint8 conversion "
      + "(LlamaGen: F.interpolate(mode='bicubic'), align_corners False, no antialias).")
  Integer resize;

  @Option(names = "--uint8", defaultValue = "ar-grpo", paramLabel = "MODE",
      description = "uint8 conversion: ar-grpo (truncate (x+1)/2*255) or llamagen (clamp(127.5x+128)) (default: ${DEFAULT-VALUE}).")
  String uint8;

  @Option(names = "--batch", defaultValue = "1", description = "Classes per generation pass (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--png-dir", paramLabel = "DIR", description = "Also write each image as <class:04><sample:02>.png (AR-GRPO's names).")
  Path pngDir;

  @Option(names = "--no-progress", description = "Do not draw the progress display.")
  boolean noProgress;

  @Option(names = "--resume", description = "Continue an interrupted export of the same --out with the same settings "
      + "(the images already written are kept; sampling goes on exactly as in one uninterrupted run).")
  boolean resume;

  @Override
  public Integer call() throws Exception {
    Uint8Conversion conv = Uint8Conversion.parse(uint8);
    if (perClass < 1) {
      throw new ConfigException("--per-class must be >= 1, got " + perClass);
    }
    RunConfig c = config.load(false);
    SamplingConfig sc = sampling.apply(SamplingConfig.arGrpo());
    try (LoadedModels m = LoadedModels.load(c)) {
      List<Integer> labels = Selections.classesOrAll(classes, "--classes", c.conditions().classes());
      List<Condition> conds = m.classConditions(labels);
      int side = resize != null ? resize : c.model().imageSize();
      if (pngDir != null) {
        Files.createDirectories(pngDir);
      }
      // everything that decides the bytes: a partial export is continued only if all of it is the same
      String fingerprint = String.join("\n", c.model().toString(), c.vq().toString(),
          PolicyWeights.fingerprint(c.model().weights()), sc.toString(), "per-class " + perClass, "classes " + labels,
          "resize " + resize, "uint8 " + conv, "batch " + batch);
      try (NpzWriter w = NpzWriter.resumable(out, "arr_0", fingerprint, resume, (long) batch * perClass,
          (long) conds.size() * perClass, side, side, 3)) {
        int start = (int) (w.itemsDone() / perClass);
        if (start > 0) {
          spec.commandLine().getErr().println("adm-npz: resuming after " + start + " of " + conds.size() + " classes");
        }
        IntConsumer progress = ProgressBar.counter(!noProgress, "adm-npz", conds.size());
        try {
          ImageSampler.run(m.policy(), m.vq(), conds, start, perClass, sc, batch, true, (first, chunk, r, raw) -> {
            try (PointerScope s = new PointerScope()) {
              Tensor x = resize != null ? BicubicResize.resize(raw, resize) : raw;
              byte[][] img = conv.toHwcBytes(x);
              for (int k = 0; k < img.length; k++) {
                w.write(img[k]);
                if (pngDir != null) {
                  writePng(img[k], side, pngDir.resolve(String.format("%04d%02d.png", labels.get(first + k / perClass), k % perClass)));
                }
              }
            }
          }, progress);
        } catch (IOException | UncheckedIOException e) {
          throw new IOException(PolicyWeights.oneLine(e.getMessage()) + " (the " + w.itemsDone()
              + " images written so far are kept: rerun with --resume to continue)", e);
        }
      }
      PrintWriter o = spec.commandLine().getOut();
      o.println("wrote " + conds.size() * perClass + " images (" + side + "x" + side + ", " + conv.name().toLowerCase() + ") to "
          + out.toAbsolutePath());
      o.flush();
    }
    return 0;
  }

  private static void writePng(byte[] hwc, int side, Path file) throws IOException {
    BufferedImage im = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int k = (y * side + x) * 3;
        im.setRGB(x, y, ((hwc[k] & 0xff) << 16) | ((hwc[k + 1] & 0xff) << 8) | (hwc[k + 2] & 0xff));
      }
    }
    Png.write(im, file);
  }
}
