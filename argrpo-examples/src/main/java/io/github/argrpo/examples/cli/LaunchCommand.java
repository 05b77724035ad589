package io.github.argrpo.examples.cli;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.github.argrpo.core.distributed.LaunchConfig;
import io.github.argrpo.core.distributed.LocalLauncher;
import io.github.argrpo.examples.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code argrpo launch}: starts N local processes of another argrpo subcommand (or, with
 * {@code --main-class}, of a class of your own) with the torchrun variables set (a free port,
 * {@code RANK}, {@code WORLD_SIZE}, ...), prefixes their output with {@code [rank k]}, and stops them all
 * when one fails. The options build a {@link LaunchConfig} that {@link LocalLauncher#run} starts. For
 * machines of their own, set the variables yourself (docs/distributed.md).
 */
@Command(name = "launch", mixinStandardHelpOptions = true,
    description = {"Runs an argrpo subcommand data-parallel in N local processes (Gloo on CPU).",
        "Example: ./argrpo launch --nproc 2 -- train -c c2i_B_256 --out runs/b256"})
public final class LaunchCommand implements Callable<Integer> {

  /** What the ranks run unless {@code --main-class} says otherwise: the {@code argrpo} program. */
  static final String ARGRPO_MAIN = Main.class.getName();

  @Option(names = {"--nproc", "--nproc-per-node", "--nproc_per_node"}, required = true,
      description = "Number of processes (ranks); torchrun's --nproc-per-node / --nproc_per_node spellings work too.")
  int nproc;

  @Option(names = "--threads-per-rank", defaultValue = "0",
      description = "Intra-op threads per rank; 0 = the available processors divided by the ranks (at least 1).")
  int threadsPerRank;

  @Option(names = "--timeout-s", defaultValue = "600", description = "Rendezvous and collective timeout (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--max-time-s", defaultValue = "0", description = "Stop every rank after this long; 0 = no limit.")
  long maxTimeSeconds;

  @Option(names = "--port", defaultValue = "0", description = "MASTER_PORT; 0 (default) = a free port picked at launch.")
  int port;

  @Option(names = "--grace-s", defaultValue = "5",
      description = "Seconds a stopped rank gets between SIGTERM and SIGKILL (default: ${DEFAULT-VALUE}).")
  double graceSeconds;

  @Option(names = "--jvm-arg", paramLabel = "ARG",
      description = "A JVM option of every rank, e.g. --jvm-arg -Xmx8g (repeatable; added to the launcher's own).")
  List<String> jvmArgs = new ArrayList<>();

  @Option(names = "--main-class", paramLabel = "CLASS", defaultValue = "io.github.argrpo.examples.Main",
      description = "The ranks' main class; the arguments after -- are its arguments (default: the argrpo program).")
  String mainClass;

  @Option(names = "--cp", paramLabel = "CLASSPATH", description = "Class path of the ranks (default: this program's).")
  String classpath;

  @Parameters(arity = "0..*", paramLabel = "SUBCOMMAND",
      description = "The argrpo subcommand and its arguments, after -- (with --main-class: that class's arguments).")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() {
    return LocalLauncher.run(config(), line -> {
      System.out.println(line);
      System.out.flush();
    });
  }

  /**
   * The launch the parsed options describe.
   *
   * @throws IllegalArgumentException naming the option to fix
   */
  LaunchConfig config() {
    checkArgument(nproc >= 1, "--nproc must be >= 1, got %s", nproc);
    checkArgument(!(mainClass.equals(ARGRPO_MAIN) && command.isEmpty()),
        "name the argrpo subcommand the ranks run, after --: e.g. -- train -c c2i_B_256");
    checkArgument(graceSeconds >= 0, "--grace-s must be >= 0, got %s", graceSeconds);
    checkArgument(maxTimeSeconds >= 0, "--max-time-s must be >= 0 (0 = no limit), got %s", maxTimeSeconds);
    int threads = threadsPerRank > 0 ? threadsPerRank : Math.max(1, Runtime.getRuntime().availableProcessors() / nproc);
    List<String> jvm = new ArrayList<>(List.of("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dargrpo.threads=" + threads));
    jvm.addAll(jvmArgs);
    LaunchConfig.Builder b = LaunchConfig.builder(mainClass).processes(nproc).threadsPerRank(threads).jvmArgs(jvm)
        .masterPort(port).shutdownGrace(Duration.ofMillis(Math.round(graceSeconds * 1000)))
        .env("ARGRPO_DIST_TIMEOUT_S", Integer.toString(timeoutSeconds)).args(command)
        .classpath(classpath != null ? classpath : System.getProperty("java.class.path"));
    if (maxTimeSeconds > 0) {
      b.maxRuntime(Duration.ofSeconds(maxTimeSeconds));
    }
    return b.build();
  }
}
