package io.github.argrpo.examples;

import io.github.argrpo.examples.cli.ArgrpoCommand;
import picocli.CommandLine;

/**
 * Entry point of the {@code argrpo} program: {@code ./argrpo <subcommand> --help}.
 *
 * <p>Errors a user can fix (a bad config, a missing file) end with a one-line message and exit code 2;
 * everything else with exit code 1 and the stack trace in the log.
 */
public final class Main {

  private Main() {}

  /** Runs the program and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the program and returns its exit status (what tests call). */
  public static int run(String... args) {
    return ArgrpoCommand.commandLine().execute(args);
  }
}
