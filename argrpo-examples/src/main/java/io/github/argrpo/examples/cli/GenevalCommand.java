package io.github.argrpo.examples.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.argrpo.examples.run.LoadedModels;
import io.github.argrpo.examples.run.PromptFile;
import io.github.argrpo.examples.run.RunConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code argrpo export geneval}: the GenEval folder layout, {@code <out>/<index:05>/metadata.jsonl} (the
 * prompt's metadata line, verbatim) and {@code <out>/<index:05>/samples/<j:04>.png}, which GenEval's
 * {@code evaluation/evaluate_images.py <out>} reads.
 */
@Command(name = "geneval", mixinStandardHelpOptions = true,
    description = {"Samples GenEval's prompts into its folder layout: <out>/<index:05>/metadata.jsonl and samples/<j:04>.png.",
        "Defaults follow AR-GRPO's test_t2i.py: 4 per prompt, CFG 2.0, top-k 2000, top-p 1, temperature 1, seed 0.",
        "The prompts need features in the config's conditions.features store, or a conditions.t5 encoder."})
public final class GenevalCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions config;

  @Mixin
  SamplingOptions sampling;

  @Option(names = "--metadata", required = true, paramLabel = "FILE",
      description = "GenEval's evaluation_metadata.jsonl (one JSON object with a 'prompt' per line).")
  Path metadata;

  @Mixin
  PromptExportOptions export;

  @Override
  public Integer call() throws Exception {
    List<JsonNode> items = PromptFile.readJsonLines(metadata);
    RunConfig c = PromptExport.textConfig(config, "geneval");
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      texts.add(PromptFile.promptOf(items.get(i), metadata, i + 1));
    }
    ObjectMapper json = new ObjectMapper();
    try (LoadedModels m = LoadedModels.load(c)) {
      var conds = m.textConditions(texts);
      for (int i = 0; i < items.size(); i++) {
        Path dir = PromptExport.folder(export.out, i);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("metadata.jsonl"), json.writeValueAsString(items.get(i)) + "\n", StandardCharsets.UTF_8);
      }
      PromptExport.run(m, conds, export.perPrompt, sampling.apply(PromptExport.evaluationDefaults()), export.batch, export.out,
          ProgressBar.counter(!export.noProgress, "geneval", conds.size()));
    }
    PrintWriter o = spec.commandLine().getOut();
    o.println("wrote " + items.size() + " prompts x " + export.perPrompt + " images to " + export.out.toAbsolutePath()
        + "; next: python evaluation/evaluate_images.py " + export.out + " --outfile results.jsonl --model-path <detector dir>");
    o.flush();
    return 0;
  }
}
