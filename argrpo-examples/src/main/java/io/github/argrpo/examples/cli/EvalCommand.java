package io.github.argrpo.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code argrpo eval}: the paper's evaluation metrics, computed natively; the work is in its
 * subcommands ({@code imagenet}: Table 2; {@code drawbench}: Table 4).
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Evaluates generated images with the paper's metrics (imagenet: FID, sFID, IS, precision, recall; drawbench: the seven columns of Table 4).",
    subcommands = {ImagenetEvalCommand.class, EvalDrawbenchCommand.class})
public final class EvalCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
