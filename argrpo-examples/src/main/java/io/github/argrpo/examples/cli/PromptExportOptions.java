package io.github.argrpo.examples.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** The options {@code export geneval} and {@code export drawbench} share: where, how many, how fast. */
public final class PromptExportOptions {

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = {"-n", "--per-prompt"}, defaultValue = "4", description = "Images per prompt (default: ${DEFAULT-VALUE}).")
  int perPrompt;

  @Option(names = "--batch", defaultValue = "4", description = "Prompts per generation pass (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--no-progress", description = "Do not draw the progress display.")
  boolean noProgress;
}
