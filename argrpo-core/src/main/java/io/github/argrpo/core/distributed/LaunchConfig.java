package io.github.argrpo.core.distributed;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link LocalLauncher} starts: {@code processes} JVMs running {@code mainClass} with the torchrun
 * variables set.
 *
 * <pre>{@code
 * LaunchConfig cfg = LaunchConfig.builder("com.example.Train").processes(2).args(List.of("--steps", "100")).build();
 * int exit = LocalLauncher.run(cfg, System.out::println);
 * }</pre>
 *
 * @param processes number of ranks to start on this machine ({@code WORLD_SIZE}), {@code >= 1}
 * @param mainClass fully qualified main class of each rank
 * @param args program arguments of each rank
 * @param classpath class path of the children; default: this JVM's
 * @param javaExecutable the {@code java} binary; default: this JVM's
 * @param jvmArgs JVM options of each child (default: {@code -Dorg.bytedeco.javacpp.maxPhysicalBytes=0})
 * @param masterPort {@code MASTER_PORT}; 0 (default) = a free port picked at launch
 * @param environment extra environment variables of every child (e.g. {@code ARGRPO_DIST_TIMEOUT_S})
 * @param threadsPerRank {@code OMP_NUM_THREADS} of each child; 0 (default) = cores / processes, at least 1
 * @param maxRuntime the whole run is stopped (exit 124) after this long; {@link Duration#ZERO} = no limit
 * @param shutdownGrace how long a child stopped by the launcher gets between SIGTERM and SIGKILL
 * @param workingDirectory working directory of the children; null = this JVM's
 */
public record LaunchConfig(int processes, String mainClass, List<String> args, String classpath, Path javaExecutable,
    List<String> jvmArgs, int masterPort, Map<String, String> environment, int threadsPerRank, Duration maxRuntime,
    Duration shutdownGrace, Path workingDirectory) {

  public LaunchConfig {
    checkArgument(processes >= 1, "processes must be >= 1, got %s", processes);
    checkArgument(mainClass != null && !mainClass.isBlank(), "mainClass must be set");
    checkArgument(classpath != null && !classpath.isBlank(), "classpath must be set");
    checkArgument(javaExecutable != null, "javaExecutable must be set");
    checkArgument(masterPort >= 0 && masterPort <= 65535, "masterPort must be in [0, 65535] (0 = free port), got %s",
        masterPort);
    checkArgument(threadsPerRank >= 0, "threadsPerRank must be >= 0 (0 = cores / processes), got %s", threadsPerRank);
    checkArgument(maxRuntime != null && !maxRuntime.isNegative(), "maxRuntime must be >= 0 (0 = none), got %s",
        maxRuntime);
    checkArgument(shutdownGrace != null && !shutdownGrace.isNegative(), "shutdownGrace must be >= 0, got %s",
        shutdownGrace);
    args = List.copyOf(args);
    jvmArgs = List.copyOf(jvmArgs);
    environment = Map.copyOf(environment);
  }

  /** A builder for {@code mainClass} with the defaults above. */
  public static Builder builder(String mainClass) {
    return new Builder(mainClass);
  }

  /** Builder of {@link LaunchConfig}. */
  public static final class Builder {
    private final String mainClass;
    private int processes = 2;
    private List<String> args = List.of();
    private String classpath = System.getProperty("java.class.path");
    private Path javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java");
    private List<String> jvmArgs = List.of("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0");
    private int masterPort;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private int threadsPerRank;
    private Duration maxRuntime = Duration.ZERO;
    private Duration shutdownGrace = Duration.ofSeconds(5);
    private Path workingDirectory;

    private Builder(String mainClass) {
      this.mainClass = mainClass;
    }

    /** See {@link LaunchConfig#processes()}. */
    public Builder processes(int v) { processes = v; return this; }

    /** See {@link LaunchConfig#args()}. */
    public Builder args(List<String> v) { args = new ArrayList<>(v); return this; }

    /** See {@link LaunchConfig#classpath()}. */
    public Builder classpath(String v) { classpath = v; return this; }

    /** See {@link LaunchConfig#javaExecutable()}. */
    public Builder javaExecutable(Path v) { javaExecutable = v; return this; }

    /** See {@link LaunchConfig#jvmArgs()} (replaces the defaults). */
    public Builder jvmArgs(List<String> v) { jvmArgs = new ArrayList<>(v); return this; }

    /** See {@link LaunchConfig#masterPort()}. */
    public Builder masterPort(int v) { masterPort = v; return this; }

    /** Adds one variable to {@link LaunchConfig#environment()}. */
    public Builder env(String name, String value) { environment.put(name, value); return this; }

    /** See {@link LaunchConfig#threadsPerRank()}. */
    public Builder threadsPerRank(int v) { threadsPerRank = v; return this; }

    /** See {@link LaunchConfig#maxRuntime()}. */
    public Builder maxRuntime(Duration v) { maxRuntime = v; return this; }

    /** See {@link LaunchConfig#shutdownGrace()}. */
    public Builder shutdownGrace(Duration v) { shutdownGrace = v; return this; }

    /** See {@link LaunchConfig#workingDirectory()}. */
    public Builder workingDirectory(Path v) { workingDirectory = v; return this; }

    /** The validated config. */
    public LaunchConfig build() {
      return new LaunchConfig(processes, mainClass, args, classpath, javaExecutable, jvmArgs, masterPort, environment,
          threadsPerRank, maxRuntime, shutdownGrace, workingDirectory);
    }
  }
}
