package io.github.argrpo.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

import io.github.argrpo.core.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code argrpo} command; the work is in its subcommands. */
@Command(name = "argrpo", mixinStandardHelpOptions = true, versionProvider = ArgrpoVersion.class,
    description = "GRPO reinforcement learning for autoregressive image generators (AR-GRPO on LlamaGen).",
    subcommands = {DemoCommand.class, TrainCommand.class, SampleCommand.class, ExportCommand.class,
        ConvertCommand.class, EncodeTextCommand.class, EvalCommand.class, BenchCommand.class, LaunchCommand.class, EnvCommand.class,
        CommandLine.HelpCommand.class})
public final class ArgrpoCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * The configured command line: user errors (bad configuration, missing files, invalid arguments)
   * print one line and exit with status 2.
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new ArgrpoCommand());
    cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
      if (isUserError(ex)) {
        PrintWriter err = cmd.getErr();
        err.println("argrpo " + cmd.getCommandName() + ": " + ex.getMessage());
        err.flush();
        return 2;
      }
      throw ex;
    });
    return cl;
  }

  static boolean isUserError(Throwable ex) {
    return ex instanceof ConfigException || ex instanceof IllegalArgumentException || ex instanceof IOException
        || ex instanceof UncheckedIOException;
  }
}
