package io.github.argrpo.examples.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.github.argrpo.core.distributed.LaunchConfig;
import io.github.argrpo.core.distributed.LocalLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code argrpo launch}: starts N local processes of another argrpo subcommand with the torchrun
 * variables set (a free port, {@code RANK}, {@code WORLD_SIZE}, ...), prefixes their output with
 * {@code [rank k]}, and stops them all when one fails. For machines of their own, set the variables
 * yourself (docs/distributed.md).
 */
@Command(name = "launch", mixinStandardHelpOptions = true,
    description = {"Runs an argrpo subcommand data-parallel in N local processes (Gloo on CPU).",
        "Example: ./argrpo launch --nproc 2 -- train -c c2i_B_256 --out runs/b256"})
public final class LaunchCommand implements Callable<Integer> {

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

  @Parameters(arity = "1..*", paramLabel = "SUBCOMMAND", description = "The argrpo subcommand and its arguments, after --.")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() {
    if (nproc < 1) {
      throw new IllegalArgumentException("--nproc must be >= 1, got " + nproc);
    }
    int threads = threadsPerRank > 0 ? threadsPerRank : Math.max(1, Runtime.getRuntime().availableProcessors() / nproc);
    LaunchConfig.Builder b = LaunchConfig.builder("io.github.argrpo.examples.Main").processes(nproc)
        .classpath(System.getProperty("java.class.path")).threadsPerRank(threads)
        .jvmArgs(List.of("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dargrpo.threads=" + threads))
        .env("ARGRPO_DIST_TIMEOUT_S", Integer.toString(timeoutSeconds)).args(command);
    if (maxTimeSeconds > 0) {
      b.maxRuntime(Duration.ofSeconds(maxTimeSeconds));
    }
    return LocalLauncher.run(b.build(), line -> {
      System.out.println(line);
      System.out.flush();
    });
  }
}
