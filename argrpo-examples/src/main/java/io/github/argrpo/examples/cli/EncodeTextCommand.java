package io.github.argrpo.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;

import io.github.argrpo.core.condition.TextFeatures;
import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.examples.run.PromptFile;
import io.github.argrpo.models.text.PrecomputedTextFeatures;
import io.github.argrpo.models.text.T5TextEncoder;
import io.github.argrpo.models.text.TextPadding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code argrpo encode-text}: the FLAN-T5 features of a prompt file, computed natively
 * ({@link T5TextEncoder}) and written as a {@link PrecomputedTextFeatures} store, one prompt at a
 * time (a 30,000-caption set never sits in memory). Replaces the Python step of
 * {@code docs/text-features.md}.
 */
@Command(name = "encode-text", mixinStandardHelpOptions = true,
    description = {"Encodes a prompt file with FLAN-T5 as LlamaGen does (caption cleaning, 120 tokens, left padding) "
        + "and writes the text-feature store a t2i run config names in conditions.features.",
        "Example: argrpo encode-text --t5 models/flan-t5-xl --prompts data/drawbench_prompts.txt --out data/drawbench.t5.safetensors"})
public final class EncodeTextCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--t5", required = true, paramLabel = "DIR",
      description = "Hugging Face FLAN-T5 folder: config.json, spiece.model and the weights (google/flan-t5-xl).")
  Path t5;

  @Option(names = "--prompts", required = true, paramLabel = "FILE",
      description = "Prompt file: .txt (one per line), .jsonl ({\"prompt\": ...} per line) or AR-GRPO's .json list.")
  Path prompts;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Safetensors store to write.")
  Path out;

  @Option(names = "--precision", defaultValue = "bf16", paramLabel = "P",
      description = "Precision T5 runs in: bf16 (LlamaGen's) or fp32 (default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(names = "--store", defaultValue = "bf16", paramLabel = "P",
      description = "Precision of the stored features: bf16 (lossless for bf16 T5, half the size) or fp32 (default: ${DEFAULT-VALUE}).")
  String store;

  @Option(names = "--batch", defaultValue = "8", paramLabel = "N", description = "Prompts per T5 call (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--cleaning-passes", defaultValue = "2", paramLabel = "N",
      description = "Times the caption cleaner runs on each prompt: AR-GRPO's 2, or 0 to use prompts as written (default: ${DEFAULT-VALUE}).")
  int cleaningPasses;

  @Option(names = "--device", defaultValue = "cpu", paramLabel = "D", description = "cpu or cuda[:N] (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--no-progress", description = "Do not draw the progress display.")
  boolean noProgress;

  @Option(names = "--padding", defaultValue = "left", paramLabel = "SIDE",
      description = "Caption layout: left (LlamaGen's, valid tokens last) or right (AR-GRPO's, valid tokens first); "
          + "a run reads the store only with the same conditions.padding (default: ${DEFAULT-VALUE}).")
  String padding;

  @Override
  public Integer call() throws Exception {
    Precision t5Precision = parse("--precision", precision);
    boolean bf16Store = parse("--store", store) == Precision.BF16;
    if (batch < 1) {
      throw new ConfigException("--batch must be >= 1, got " + batch);
    }
    TextPadding layout;
    try {
      layout = TextPadding.parse(padding);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--padding: " + e.getMessage(), e);
    }
    if (cleaningPasses < 0) {
      throw new ConfigException("--cleaning-passes must be >= 0, got " + cleaningPasses);
    }
    if (!Files.isRegularFile(prompts)) {
      throw new ConfigException("--prompts: file " + prompts + " does not exist");
    }
    // the store is looked up by prompt text, so a repeated prompt is encoded and stored once
    List<String> unique = new ArrayList<>(new LinkedHashSet<>(PromptFile.read(prompts)));
    PrintWriter o = spec.commandLine().getOut();
    long start = System.nanoTime();
    try (T5TextEncoder enc = T5TextEncoder.open(t5, t5Precision, DeviceSpec.parse(device), T5TextEncoder.LLAMAGEN_TOKENS,
        cleaningPasses, batch, layout);
        PrecomputedTextFeatures.Writer w = PrecomputedTextFeatures.writer(out, unique, enc.tokens(), enc.dim(), bf16Store,
            layout)) {
      IntConsumer progress = ProgressBar.counter(!noProgress, "encode-text", unique.size());
      progress.accept(0);
      for (int s = 0; s < unique.size(); s += batch) {
        for (TextFeatures f : enc.encode(unique.subList(s, Math.min(unique.size(), s + batch)))) {
          w.append(f);
        }
        progress.accept(w.written());
      }
      w.commit();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    o.printf("wrote the features of %d prompts to %s (%d MiB) in %.1f s%n", unique.size(), out.toAbsolutePath(),
        Files.size(out) >> 20, seconds);
    o.flush();
    return 0;
  }

  private static Precision parse(String option, String value) {
    try {
      return Precision.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(option + ": " + e.getMessage(), e);
    }
  }
}
