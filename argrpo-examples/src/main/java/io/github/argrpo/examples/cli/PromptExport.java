package io.github.argrpo.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;

import org.bytedeco.javacpp.PointerScope;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.examples.export.ImageSampler;
import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.examples.run.LoadedModels;
import io.github.argrpo.examples.run.RunConfig;
import io.github.argrpo.core.image.Png;
import io.github.argrpo.models.vq.VqTokenizer;

/**
 * The folder layout GenEval reads and DrawBench scoring uses: {@code <out>/<index:05>/samples/<j:04>.png}
 * per prompt, the prompt's metadata written by the caller.
 */
final class PromptExport {

  /** AR-GRPO's text-to-image evaluation sampling (test_t2i.py): CFG 2.0, top-k 2000, top-p 1, temperature 1. */
  static SamplingConfig evaluationDefaults() {
    return SamplingConfig.arGrpo().toBuilder().topK(2000).build();
  }

  private PromptExport() {}

  /** Samples {@code perPrompt} images for each condition into {@code out/<i:05>/samples/<j:04>.png}. */
  static void run(LoadedModels m, List<Condition> conds, int perPrompt, SamplingConfig sc, int batch, Path out,
      IntConsumer progress) throws IOException {
    ImageSampler.run(m.policy(), m.vq(), conds, perPrompt, sc, batch, true, (first, chunk, r, raw) -> {
      try (PointerScope s = new PointerScope(); ImageBatch images = ImageBatch.wrap(VqTokenizer.toUnitRange(raw))) {
        for (int k = 0; k < images.count(); k++) {
          Path dir = folder(out, first + k / perPrompt).resolve("samples");
          Files.createDirectories(dir);
          Png.save(images, k, dir.resolve(String.format("%04d.png", k % perPrompt)));
        }
      }
    }, progress);
  }

  /**
   * The run config of a prompt export, which must be text-to-image.
   *
   * @throws ConfigException for a class-to-image config
   */
  static RunConfig textConfig(ConfigOptions config, String command) {
    RunConfig c = config.load(false);
    if (!c.conditions().isText()) {
      throw new ConfigException(command + " needs a text-to-image config (model.gpt.type: t2i), got c2i");
    }
    return c;
  }

  /** The folder of prompt {@code i}. */
  static Path folder(Path out, int i) {
    return out.resolve(String.format("%05d", i));
  }
}
