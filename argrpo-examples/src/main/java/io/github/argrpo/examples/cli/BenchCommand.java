package io.github.argrpo.examples.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.github.argrpo.core.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code argrpo bench}: runs one of the benchmark programs of {@code io.github.argrpo.examples.bench}
 * ({@code GptBenchmark}, {@code ClipBenchmark}, {@code T5Benchmark}, {@code InceptionBenchmark},
 * {@code StepBenchmark}, each a picocli command), parsing the remaining arguments with that command's
 * options: a bad option prints its usage and exits with 2, {@code -- --help} lists its options.
 * Benchmarks are looked up by name so this command works whichever are built.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Runs a benchmark: gpt, clip, t5, inception or step; arguments after the name go to the benchmark "
        + "(after --: argrpo bench gpt -- --help).", "--list shows the benchmarks present in this build."})
public final class BenchCommand implements Callable<Integer> {

  /** Benchmark names and their main classes. */
  static final Map<String, String> BENCHMARKS;

  static {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("gpt", "io.github.argrpo.examples.bench.GptBenchmark");
    m.put("clip", "io.github.argrpo.examples.bench.ClipBenchmark");
    m.put("t5", "io.github.argrpo.examples.bench.T5Benchmark");
    m.put("step", "io.github.argrpo.examples.bench.StepBenchmark");
    m.put("inception", "io.github.argrpo.examples.bench.InceptionBenchmark");
    BENCHMARKS = Collections.unmodifiableMap(m);
  }

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "WHAT", description = "gpt, clip, t5, inception or step.")
  String what;

  @Option(names = "--what", paramLabel = "WHAT", description = "Same as the positional name.")
  String whatOption;

  @Option(names = "--list", description = "List the benchmarks present in this build.")
  boolean list;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for the benchmark (after --, e.g. -- --help).")
  List<String> args = new ArrayList<>();

  @Unmatched
  List<String> rest = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    var o = spec.commandLine().getOut();
    if (list) {
      for (var e : BENCHMARKS.entrySet()) {
        o.println(e.getKey() + "  " + e.getValue() + (present(e.getValue()) ? "" : "  (not in this build)"));
      }
      o.flush();
      return 0;
    }
    String name = what != null ? what : whatOption;
    if (name == null) {
      throw new ConfigException("name a benchmark: " + String.join(", ", BENCHMARKS.keySet()));
    }
    String cls = BENCHMARKS.get(name.toLowerCase(Locale.ROOT));
    if (cls == null) {
      throw new ConfigException("unknown benchmark '" + name + "', expected one of " + String.join(", ", BENCHMARKS.keySet()));
    }
    if (!present(cls)) {
      throw new ConfigException("benchmark '" + name + "' (" + cls + ") is not in this build");
    }
    List<String> all = new ArrayList<>(args);
    all.addAll(rest);
    return runBenchmark(name.toLowerCase(Locale.ROOT), Class.forName(cls).getDeclaredConstructor().newInstance(),
        all.toArray(new String[0]));
  }

  /**
   * Parses {@code args} into the benchmark command and runs it. Parse errors and help are picocli's
   * (usage on the error stream, exit 2; {@code --help} exit 0); an exception of the run itself reaches
   * {@code argrpo}'s handler like any subcommand's (one line and exit 2 for a user error).
   */
  private int runBenchmark(String name, Object benchmark, String[] args) throws Exception {
    CommandLine cl = new CommandLine(benchmark).setCommandName("argrpo bench " + name)
        .setOut(spec.commandLine().getOut()).setErr(spec.commandLine().getErr());
    ParseResult parsed;
    try {
      parsed = cl.parseArgs(args);
    } catch (ParameterException e) {
      return cl.getParameterExceptionHandler().handleParseException(e, args);
    }
    if (CommandLine.printHelpIfRequested(parsed)) {
      return 0;
    }
    for (String pin : openBlasPins(System.getenv())) {
      // too late to undo here: OpenBLAS read the variable when the natives loaded
      spec.commandLine().getErr().println("argrpo bench: warning: " + pin + " is set; OpenBLAS was loaded with it, "
          + "so fp32 matmul figures may be far below this machine's (a Haswell pin halves them on AVX-512 CPUs). "
          + "Run through ./argrpo or bin/argrpo, which unset it for benchmarks, or unset it yourself.");
    }
    Object result = ((Callable<?>) benchmark).call();
    return result instanceof Integer code ? code : 0;
  }

  /**
   * The OpenBLAS tuning variables set in {@code env} as {@code NAME=value}: a core-type or cache-size pin
   * changes which kernels OpenBLAS picks, so a benchmark run under one does not measure this machine.
   */
  static List<String> openBlasPins(Map<String, String> env) {
    List<String> out = new ArrayList<>();
    for (String v : List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")) {
      String value = env.get(v);
      if (value != null && !value.isEmpty()) {
        out.add(v + "=" + value);
      }
    }
    return out;
  }

  static boolean present(String cls) {
    try {
      Class.forName(cls, false, BenchCommand.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
