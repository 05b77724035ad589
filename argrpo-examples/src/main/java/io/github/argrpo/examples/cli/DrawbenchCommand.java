package io.github.argrpo.examples.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

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
 * {@code argrpo export drawbench}: DrawBench samples, one folder per prompt,
 * {@code <out>/<index:05>/prompt.txt} and {@code samples/<j:04>.png}, plus {@code <out>/prompts.jsonl}
 * ({@code {"index", "prompt", "samples": [...]}} per prompt) for scoring scripts (CLIP, HPSv2.1,
 * PickScore, ImageReward, ...).
 */
@Command(name = "drawbench", mixinStandardHelpOptions = true,
    description = {"Samples DrawBench prompts: <out>/<index:05>/prompt.txt, samples/<j:04>.png, and <out>/prompts.jsonl.",
        "Defaults follow AR-GRPO's DrawBench evaluation: 4 per prompt, CFG 2.0, top-k 2000, top-p 1, temperature 1, seed 0."})
public final class DrawbenchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions config;

  @Mixin
  SamplingOptions sampling;

  @Option(names = "--prompts", required = true, paramLabel = "FILE", description = "DrawBench prompts (.txt, one per line, or .jsonl/.json).")
  Path prompts;

  @Mixin
  PromptExportOptions export;

  @Override
  public Integer call() throws Exception {
    List<String> texts = PromptFile.read(prompts);
    RunConfig c = PromptExport.textConfig(config, "drawbench");
    ObjectMapper json = new ObjectMapper();
    try (LoadedModels m = LoadedModels.load(c)) {
      var conds = m.textConditions(texts);
      List<String> index = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        Path dir = PromptExport.folder(export.out, i);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("prompt.txt"), texts.get(i) + "\n", StandardCharsets.UTF_8);
        List<String> files = new ArrayList<>();
        for (int j = 0; j < export.perPrompt; j++) {
          files.add(String.format("%05d/samples/%04d.png", i, j));
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("index", i);
        e.put("prompt", texts.get(i));
        e.put("samples", files);
        index.add(json.writeValueAsString(e));
      }
      PromptExport.run(m, conds, export.perPrompt, sampling.apply(PromptExport.evaluationDefaults()), export.batch, export.out,
          ProgressBar.counter(!export.noProgress, "drawbench", conds.size()));
      Files.write(export.out.resolve("prompts.jsonl"), index, StandardCharsets.UTF_8);
    }
    PrintWriter o = spec.commandLine().getOut();
    o.println("wrote " + texts.size() + " prompts x " + export.perPrompt + " images to " + export.out.toAbsolutePath());
    o.flush();
    return 0;
  }
}
