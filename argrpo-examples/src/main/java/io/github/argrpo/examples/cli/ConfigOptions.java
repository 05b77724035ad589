package io.github.argrpo.examples.cli;

import java.util.ArrayList;
import java.util.List;

import io.github.argrpo.examples.run.RunConfig;
import picocli.CommandLine.Option;

/** The {@code --config} and {@code --set} options shared by the subcommands that read a run config. */
public final class ConfigOptions {

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE|NAME",
      description = "Run config: a YAML file, or a bundled config name (c2i_B_256, c2i_XL_384, c2i_B_256_ablation_A, t2i_XL_256, ...).")
  String config;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override a config value, e.g. --set trainer.steps=10 --set model.device=cuda (repeatable).")
  List<String> overrides = new ArrayList<>();

  /** Loads and validates the config. */
  RunConfig load(boolean requireRewards) {
    return RunConfig.load(config, overrides, requireRewards);
  }
}
