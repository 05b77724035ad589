package io.github.argrpo.examples.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.github.argrpo.examples.Main;

/** Runs the program in-process with standard output and error captured. */
final class Cli {

  /** A finished run. */
  record Result(int code, String out, String err) {
    /** The program's own error lines ({@code argrpo <command>: ...}), log lines excluded. */
    List<String> errorLines() {
      return Arrays.stream(err.split("\\R")).filter(l -> l.startsWith("argrpo ")).toList();
    }

    boolean hasStackTrace() {
      return err.contains("\tat ") || out.contains("\tat ");
    }
  }

  private Cli() {}

  static synchronized Result run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = Main.run(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    Result r = new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    if (code != 0) {
      oldErr.println("argrpo " + String.join(" ", args) + " -> " + code + "\n" + r.err());
    }
    return r;
  }
}
