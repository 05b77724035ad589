package io.github.argrpo.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.bytedeco.javacpp.PointerScope;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.examples.export.ImageSampler;
import io.github.argrpo.examples.run.LoadedModels;
import io.github.argrpo.examples.run.PromptFile;
import io.github.argrpo.examples.run.RunConfig;
import io.github.argrpo.core.image.Png;
import io.github.argrpo.models.vq.VqTokenizer;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code argrpo sample}: N images per class or prompt from a checkpoint (the config's
 * {@code model.weights}: an official {@code .pt}, a safetensors file or a run's checkpoint).
 *
 * <pre>
 * ./argrpo sample -c c2i_B_256 --set model.weights=runs/b256/checkpoints/step-000400 --classes 207,360 --out out/
 * </pre>
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = {"Samples images per class or prompt from the model of a run config and writes PNGs "
        + "(<out>/<condition:04>_<sample:02>.png), index.jsonl, and with --grid a grid.png (one row per condition).",
        "Sampling defaults come from the config's trainer.sampling section."})
public final class SampleCommand implements Callable<Integer> {

  /** LlamaGen's sample_c2i.py demo classes. */
  static final List<Integer> DEMO_CLASSES = List.of(207, 360, 387, 974, 88, 979, 417, 279);

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions config;

  @Mixin
  SamplingOptions sampling;

  @Option(names = "--classes", paramLabel = "LIST", description = "Classes, e.g. 207,360 or 0-9 (c2i; default: LlamaGen's demo classes).")
  String classes;

  @Option(names = "--prompt", paramLabel = "TEXT", description = "A prompt (t2i; repeatable; with conditions.features it must be in that store).")
  List<String> prompts = new ArrayList<>();

  @Option(names = "--prompts", paramLabel = "FILE", description = "Prompt file (.txt or .jsonl) (t2i; default: the config's prompt file, first 4).")
  Path promptFile;

  @Option(names = {"-n", "--per-condition"}, defaultValue = "4", description = "Images per class or prompt (default: ${DEFAULT-VALUE}).")
  int perCondition;

  @Option(names = "--batch", defaultValue = "8", description = "Classes or prompts per generation pass (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the PNGs.")
  Path out;

  @Option(names = "--grid", description = "Also write grid.png.")
  boolean grid;

  @Option(names = "--no-progress", description = "Do not draw the progress display.")
  boolean noProgress;

  @Override
  public Integer call() throws Exception {
    RunConfig c = config.load(false);
    SamplingConfig sc = sampling.apply(c.trainer().sampling());
    try (LoadedModels m = LoadedModels.load(c)) {
      List<Condition> conds;
      if (m.isText()) {
        List<String> texts = new ArrayList<>(prompts);
        if (promptFile != null) {
          texts.addAll(PromptFile.read(promptFile));
        }
        if (texts.isEmpty()) {
          texts.addAll(m.prompts().subList(0, Math.min(4, m.prompts().size())));
        }
        conds = m.textConditions(texts);
      } else {
        conds = m.classConditions(classes == null ? DEMO_CLASSES : Selections.classes(classes, "--classes"));
      }
      Files.createDirectories(out);
      List<String> index = new ArrayList<>();
      ObjectMapper json = new ObjectMapper();
      List<ImageBatch> kept = new ArrayList<>();
      try {
        ImageSampler.run(m.policy(), m.vq(), conds, perCondition, sc, batch, true, (first, chunk, r, raw) -> {
          try (PointerScope s = new PointerScope()) {
            ImageBatch images = ImageBatch.wrap(VqTokenizer.toUnitRange(raw));
            for (int k = 0; k < images.count(); k++) {
              int ci = first + k / perCondition;
              String name = String.format("%04d_%02d.png", ci, k % perCondition);
              Png.save(images, k, out.resolve(name));
              index.add(json.writeValueAsString(Map.of("file", name, "condition", conds.get(ci).describe(),
                  "sample", k % perCondition)));
            }
            if (grid) {
              kept.add(images.slice(0, images.count()));
            }
            images.close();
          }
        }, ProgressBar.counter(!noProgress, "sample", conds.size()));
        Files.write(out.resolve("index.jsonl"), index, StandardCharsets.UTF_8);
        if (grid) {
          writeGrid(kept, out.resolve("grid.png"));
        }
      } finally {
        kept.forEach(ImageBatch::close);
      }
      PrintWriter o = spec.commandLine().getOut();
      o.println("wrote " + conds.size() * perCondition + " images to " + out.toAbsolutePath());
      o.flush();
    }
    return 0;
  }

  private void writeGrid(List<ImageBatch> parts, Path file) throws IOException {
    try (PointerScope s = new PointerScope()) {
      TensorVector v = new TensorVector();
      for (ImageBatch b : parts) {
        v.push_back(b.tensor());
      }
      try (ImageBatch all = ImageBatch.wrap(torch.cat(v, 0))) {
        Png.saveGrid(all, file, perCondition);
      }
    }
  }
}
