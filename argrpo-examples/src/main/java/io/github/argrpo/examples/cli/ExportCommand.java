package io.github.argrpo.examples.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code argrpo export}: evaluation exports; the work is in its subcommands. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Evaluation exports: adm-npz (FID/IS with the ADM evaluator), geneval, drawbench, entropy.",
    subcommands = {AdmNpzCommand.class, GenevalCommand.class, DrawbenchCommand.class, EntropyCommand.class})
public final class ExportCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
