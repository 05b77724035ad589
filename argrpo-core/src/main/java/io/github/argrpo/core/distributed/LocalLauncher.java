package io.github.argrpo.core.distributed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts N local ranks of a main class, like {@code torchrun --standalone --nproc_per_node N}: one
 * JVM per rank with {@code MASTER_ADDR=127.0.0.1}, {@code MASTER_PORT} (a free port),
 * {@code RANK}, {@code LOCAL_RANK}, {@code WORLD_SIZE}, {@code LOCAL_WORLD_SIZE} and
 * {@code OMP_NUM_THREADS} set, their output streamed line by line with a {@code [rank k]} prefix.
 *
 * <p>If a rank exits with a non-zero status, the others are stopped (SIGTERM, then SIGKILL after the
 * grace period) and the launcher returns that status; it returns 0 when every rank exits with 0, and
 * 124 when {@link LaunchConfig#maxRuntime()} runs out. Every wait is bounded.
 *
 * <pre>{@code
 * LaunchConfig cfg = LaunchConfig.builder("com.example.Train").processes(2).args(List.of("--steps", "100")).build();
 * int exit = LocalLauncher.run(cfg, System.out::println);
 * }</pre>
 *
 * <p>This is the library part; the command line is {@code argrpo launch} (its picocli options build the
 * {@link LaunchConfig}; {@code --main-class} runs a class of your own). For several machines start one
 * launcher-free process per rank with the variables set by hand (see {@code docs/distributed.md}), or use
 * torchrun as the process manager.
 */
public final class LocalLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(LocalLauncher.class);

  /** Exit status when the run exceeded {@link LaunchConfig#maxRuntime()} (as {@code timeout(1)}). */
  public static final int EXIT_TIMEOUT = 124;

  private LocalLauncher() {}

  /**
   * Runs the ranks to completion and returns the exit status (see the class comment).
   *
   * @param output receives every line the ranks print, prefixed with {@code [rank k] }; called from
   *     one pump thread per rank, so it must be thread-safe
   */
  public static int run(LaunchConfig cfg, Consumer<String> output) {
    int n = cfg.processes();
    int port = cfg.masterPort() == 0 ? freePort() : cfg.masterPort();
    int threads = cfg.threadsPerRank() > 0 ? cfg.threadsPerRank()
        : Math.max(1, Runtime.getRuntime().availableProcessors() / n);
    List<Process> procs = new CopyOnWriteArrayList<>();
    List<Thread> pumps = new ArrayList<>();
    // If the launcher itself is stopped (Ctrl-C), the ranks go with it.
    Thread reaper = new Thread(() -> stopAll(procs, cfg.shutdownGrace()), "launcher-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
    long start = System.nanoTime();
    try {
      for (int r = 0; r < n; r++) {
        Process p = start(cfg, r, port, threads);
        procs.add(p);
        pumps.add(pump(p, r, output));
      }
      LOG.info("started {} ranks of {} (MASTER_PORT {}, {} threads each)", n, cfg.mainClass(), port, threads);
      int status = supervise(procs, cfg, start);
      for (Thread t : pumps) {
        t.join(2000);
      }
      return status;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopAll(procs, cfg.shutdownGrace());
      return 130;
    } finally {
      stopAll(procs, cfg.shutdownGrace());
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running or ran: nothing to remove
      }
    }
  }

  private static int supervise(List<Process> procs, LaunchConfig cfg, long start) throws InterruptedException {
    long limitNanos = cfg.maxRuntime().isZero() ? Long.MAX_VALUE : cfg.maxRuntime().toNanos();
    while (true) {
      boolean allDone = true;
      for (int r = 0; r < procs.size(); r++) {
        Process p = procs.get(r);
        if (p.isAlive()) {
          allDone = false;
        } else if (p.exitValue() != 0) {
          LOG.error("rank {} exited with status {}; stopping the other ranks", r, p.exitValue());
          stopAll(procs, cfg.shutdownGrace());
          return p.exitValue();
        }
      }
      if (allDone) {
        LOG.info("all {} ranks finished", procs.size());
        return 0;
      }
      if (System.nanoTime() - start > limitNanos) {
        LOG.error("the run exceeded its maximum time of {}; stopping every rank", cfg.maxRuntime());
        stopAll(procs, cfg.shutdownGrace());
        return EXIT_TIMEOUT;
      }
      Thread.sleep(50);
    }
  }

  private static Process start(LaunchConfig cfg, int rank, int port, int threads) {
    List<String> cmd = new ArrayList<>();
    cmd.add(cfg.javaExecutable().toString());
    cmd.addAll(cfg.jvmArgs());
    cmd.add("-cp");
    cmd.add(cfg.classpath());
    cmd.add(cfg.mainClass());
    cmd.addAll(cfg.args());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (cfg.workingDirectory() != null) {
      pb.directory(cfg.workingDirectory().toFile());
    }
    Map<String, String> env = pb.environment();
    env.putAll(cfg.environment());
    env.put("MASTER_ADDR", "127.0.0.1");
    env.put("MASTER_PORT", Integer.toString(port));
    env.put("RANK", Integer.toString(rank));
    env.put("LOCAL_RANK", Integer.toString(rank));
    env.put("WORLD_SIZE", Integer.toString(cfg.processes()));
    env.put("LOCAL_WORLD_SIZE", Integer.toString(cfg.processes()));
    env.putIfAbsent("OMP_NUM_THREADS", Integer.toString(threads));
    try {
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start rank " + rank + " with " + cfg.javaExecutable() + ": "
          + e.getMessage(), e);
    }
  }

  private static Thread pump(Process p, int rank, Consumer<String> output) {
    String prefix = "[rank " + rank + "] ";
    Thread t = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          output.accept(prefix + line);
        }
      } catch (IOException e) {
        LOG.debug("output of rank {} ended: {}", rank, e.toString());
      }
    }, "rank-" + rank + "-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** SIGTERM to every live rank, then SIGKILL to those still alive after the grace period. */
  static void stopAll(List<Process> procs, Duration grace) {
    List<Process> alive = new ArrayList<>();
    for (Process p : List.copyOf(procs)) {
      if (p.isAlive()) {
        p.destroy();
        alive.add(p);
      }
    }
    long deadline = System.nanoTime() + grace.toNanos();
    for (Process p : alive) {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
          p.destroyForcibly();
          p.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("could not find a free port for MASTER_PORT: " + e.getMessage(), e);
    }
  }
}
