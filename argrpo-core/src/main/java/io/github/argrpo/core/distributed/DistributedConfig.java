package io.github.argrpo.core.distributed;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where this process sits in a data-parallel run and how it reaches the others.
 *
 * <p>Usually read from the environment that {@code torchrun} (or {@link LocalLauncher}) sets:
 *
 * <pre>{@code
 * DistributedConfig cfg = DistributedConfig.fromEnvironment();   // MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE, ...
 * try (DistributedContext ctx = C10dContext.connect(cfg)) { ... }
 * }</pre>
 *
 * or built directly: {@code DistributedConfig.builder().rank(1).worldSize(2).masterPort(29500).build()}.
 *
 * @param backend {@link DistributedBackend#GLOO} on CPU (default), {@link DistributedBackend#NCCL} on CUDA;
 *     env {@code ARGRPO_DIST_BACKEND}
 * @param rendezvous {@link Rendezvous#TCP} through rank 0's {@code TCPStore} (default) or a shared
 *     {@link Rendezvous#FILE}; env: {@code FILE} when {@code ARGRPO_DIST_STORE_FILE} is set
 * @param masterAddr host of rank 0's store (TCP), env {@code MASTER_ADDR}; default {@code 127.0.0.1}
 * @param masterPort port of rank 0's store (TCP), 1..65535, env {@code MASTER_PORT}; default 29500
 *     (torchrun's)
 * @param storeFile the {@code FileStore} file (FILE rendezvous only, else null), env
 *     {@code ARGRPO_DIST_STORE_FILE}
 * @param rank this process's global rank in {@code [0, worldSize)}, env {@code RANK}
 * @param worldSize number of processes, env {@code WORLD_SIZE}
 * @param localRank rank among the processes of this machine (selects the GPU with NCCL), env
 *     {@code LOCAL_RANK}; defaults to {@code rank} when the variable is absent
 * @param timeout bound on the rendezvous and on every collective: a dead or stuck peer ends the run
 *     with a {@link DistributedException} after at most this long; env {@code ARGRPO_DIST_TIMEOUT_S};
 *     default 10 minutes (torch's default is 30; it must exceed the longest step imbalance between ranks,
 *     e.g. one rank scoring a slow reward while the others already wait in the gradient all-reduce)
 * @param bucketSizeMb gradient all-reduce bucket size in MiB, env {@code ARGRPO_DIST_BUCKET_MB}; default
 *     25 (DDP's {@code bucket_cap_mb})
 * @param networkInterface network interface Gloo binds to (for machines with several), env
 *     {@code GLOO_SOCKET_IFNAME}; null = the interface of the host name (loopback when the master is
 *     local)
 * @param agentStore whether the {@code TCPStore} at {@code MASTER_ADDR:MASTER_PORT} is already served by
 *     a launcher agent, so rank 0 connects to it as a client instead of serving it: torchrun (elastic
 *     agent, torch 2.x) sets {@code TORCHELASTIC_USE_AGENT_STORE=True}; default false
 * @param restartCount the launcher's restart attempt ({@code TORCHELASTIC_RESTART_COUNT}, default 0):
 *     with an agent store, this run's keys live under {@code /worker/attempt_<n>} so a restarted run does
 *     not read the keys of the failed attempt (what torch.distributed does)
 */
public record DistributedConfig(DistributedBackend backend, Rendezvous rendezvous, String masterAddr, int masterPort,
    Path storeFile, int rank, int worldSize, int localRank, Duration timeout, double bucketSizeMb,
    String networkInterface, boolean agentStore, int restartCount) {

  /** torchrun's default {@code MASTER_PORT}. */
  public static final int DEFAULT_PORT = 29500;
  /** Default bound on rendezvous and collectives. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
  /** Default gradient bucket size (DDP's {@code bucket_cap_mb}). */
  public static final double DEFAULT_BUCKET_MB = 25;

  public DistributedConfig {
    checkArgument(backend != null, "backend must not be null");
    checkArgument(rendezvous != null, "rendezvous must not be null");
    checkArgument(worldSize >= 1, "worldSize must be >= 1, got %s", worldSize);
    checkArgument(rank >= 0 && rank < worldSize, "rank must be in [0, %s) (worldSize), got %s", worldSize, rank);
    checkArgument(localRank >= 0 && localRank <= rank, "localRank must be in [0, rank = %s], got %s", rank, localRank);
    checkArgument(timeout != null && !timeout.isNegative() && !timeout.isZero(), "timeout must be positive, got %s",
        timeout);
    checkArgument(bucketSizeMb > 0 && Double.isFinite(bucketSizeMb), "bucketSizeMb must be finite and > 0, got %s",
        bucketSizeMb);
    if (rendezvous == Rendezvous.TCP) {
      checkArgument(masterAddr != null && !masterAddr.isBlank(), "TCP rendezvous needs masterAddr (MASTER_ADDR)");
      checkArgument(masterPort >= 1 && masterPort <= 65535, "masterPort must be in [1, 65535], got %s", masterPort);
    } else {
      checkArgument(storeFile != null, "FILE rendezvous needs storeFile (ARGRPO_DIST_STORE_FILE)");
    }
    checkArgument(networkInterface == null || !networkInterface.isBlank(), "networkInterface must be null or non-blank");
    checkArgument(restartCount >= 0, "restartCount must be >= 0, got %s", restartCount);
    checkArgument(!agentStore || rendezvous == Rendezvous.TCP, "an agent store is a TCPStore: agentStore needs TCP rendezvous");
  }

  /** The bucket size in bytes. */
  public long bucketSizeBytes() {
    return Math.max(1L, (long) (bucketSizeMb * 1024 * 1024));
  }

  /** Whether the master address is this machine's loopback (every rank on one machine). */
  public boolean loopback() {
    return masterAddr != null && (masterAddr.equals("127.0.0.1") || masterAddr.equalsIgnoreCase("localhost")
        || masterAddr.equals("::1"));
  }

  /**
   * Reads the torchrun variables from the process environment.
   *
   * @throws IllegalArgumentException naming the variable that is missing or invalid
   */
  public static DistributedConfig fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * Reads the torchrun variables from {@code env}: {@code RANK} and {@code WORLD_SIZE} (required),
   * {@code MASTER_ADDR} and {@code MASTER_PORT} (required for TCP rendezvous), {@code LOCAL_RANK}
   * (default: {@code RANK}), and the optional {@code ARGRPO_DIST_BACKEND}, {@code ARGRPO_DIST_STORE_FILE},
   * {@code ARGRPO_DIST_TIMEOUT_S}, {@code ARGRPO_DIST_BUCKET_MB}, {@code GLOO_SOCKET_IFNAME}, and torchrun's
   * {@code TORCHELASTIC_USE_AGENT_STORE} and {@code TORCHELASTIC_RESTART_COUNT}.
   *
   * @throws IllegalArgumentException naming the variable that is missing or invalid
   */
  public static DistributedConfig fromEnvironment(Map<String, String> env) {
    checkNotNull(env, "env");
    Builder b = builder();
    b.rank(intVar(env, "RANK", null));
    b.worldSize(intVar(env, "WORLD_SIZE", null));
    b.localRank(intVar(env, "LOCAL_RANK", b.rank));
    String file = blankToNull(env.get("ARGRPO_DIST_STORE_FILE"));
    if (file != null) {
      b.rendezvous(Rendezvous.FILE).storeFile(Path.of(file));
      if (blankToNull(env.get("MASTER_ADDR")) != null) {
        b.masterAddr(env.get("MASTER_ADDR").trim());
      }
    } else {
      b.rendezvous(Rendezvous.TCP);
      String addr = blankToNull(env.get("MASTER_ADDR"));
      checkArgument(addr != null,
          "environment variable MASTER_ADDR is not set; set it to rank 0's host (127.0.0.1 on one machine), or "
              + "set ARGRPO_DIST_STORE_FILE for a file rendezvous");
      b.masterAddr(addr);
      b.masterPort(intVar(env, "MASTER_PORT", null));
    }
    String backend = blankToNull(env.get("ARGRPO_DIST_BACKEND"));
    if (backend != null) {
      try {
        b.backend(DistributedBackend.parse(backend));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("environment variable ARGRPO_DIST_BACKEND: " + e.getMessage(), e);
      }
    }
    String timeout = blankToNull(env.get("ARGRPO_DIST_TIMEOUT_S"));
    if (timeout != null) {
      double s = doubleVar("ARGRPO_DIST_TIMEOUT_S", timeout);
      checkArgument(s > 0 && Double.isFinite(s),
          "environment variable ARGRPO_DIST_TIMEOUT_S must be a positive number of seconds, got '%s'", timeout);
      b.timeout(Duration.ofMillis(Math.max(1L, Math.round(s * 1000))));
    }
    String bucket = blankToNull(env.get("ARGRPO_DIST_BUCKET_MB"));
    if (bucket != null) {
      b.bucketSizeMb(doubleVar("ARGRPO_DIST_BUCKET_MB", bucket));
    }
    b.networkInterface(blankToNull(env.get("GLOO_SOCKET_IFNAME")));
    if ("true".equalsIgnoreCase(blankToNull(env.get("TORCHELASTIC_USE_AGENT_STORE"))) && file == null) {
      b.agentStore(true);
    }
    b.restartCount(intVar(env, "TORCHELASTIC_RESTART_COUNT", 0));
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid distributed environment (RANK=" + env.get("RANK") + ", WORLD_SIZE="
          + env.get("WORLD_SIZE") + ", LOCAL_RANK=" + env.get("LOCAL_RANK") + "): " + e.getMessage(), e);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static int intVar(Map<String, String> env, String name, Integer fallback) {
    String v = blankToNull(env.get(name));
    if (v == null) {
      if (fallback != null) {
        return fallback;
      }
      throw new IllegalArgumentException("environment variable " + name + " is not set; a distributed run needs "
          + "RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT (as torchrun or LocalLauncher set them)");
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("environment variable " + name + " must be an integer, got '" + v + "'", e);
    }
  }

  private static double doubleVar(String name, String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("environment variable " + name + " must be a number, got '" + v + "'", e);
    }
  }

  /** A builder with the defaults: Gloo, TCP at 127.0.0.1:29500, rank 0 of 1, 10 min timeout, 25 MiB buckets. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder initialised with this config's values. */
  public Builder toBuilder() {
    return new Builder().backend(backend).rendezvous(rendezvous).masterAddr(masterAddr).masterPort(masterPort)
        .storeFile(storeFile).rank(rank).worldSize(worldSize).localRank(localRank).timeout(timeout)
        .bucketSizeMb(bucketSizeMb).networkInterface(networkInterface).agentStore(agentStore).restartCount(restartCount);
  }

  /** Builder of {@link DistributedConfig}; {@link #build()} validates. */
  public static final class Builder {
    private DistributedBackend backend = DistributedBackend.GLOO;
    private Rendezvous rendezvous = Rendezvous.TCP;
    private String masterAddr = "127.0.0.1";
    private int masterPort = DEFAULT_PORT;
    private Path storeFile;
    private int rank;
    private int worldSize = 1;
    private Integer localRank;
    private Duration timeout = DEFAULT_TIMEOUT;
    private double bucketSizeMb = DEFAULT_BUCKET_MB;
    private String networkInterface;
    private boolean agentStore;
    private int restartCount;

    private Builder() {}

    /** See {@link DistributedConfig#backend()}. */
    public Builder backend(DistributedBackend v) { backend = v; return this; }

    /** See {@link DistributedConfig#rendezvous()}. */
    public Builder rendezvous(Rendezvous v) { rendezvous = v; return this; }

    /** See {@link DistributedConfig#masterAddr()}. */
    public Builder masterAddr(String v) { masterAddr = v; return this; }

    /** See {@link DistributedConfig#masterPort()}. */
    public Builder masterPort(int v) { masterPort = v; return this; }

    /** See {@link DistributedConfig#storeFile()}. */
    public Builder storeFile(Path v) { storeFile = v; return this; }

    /** See {@link DistributedConfig#rank()}. */
    public Builder rank(int v) { rank = v; return this; }

    /** See {@link DistributedConfig#worldSize()}. */
    public Builder worldSize(int v) { worldSize = v; return this; }

    /** See {@link DistributedConfig#localRank()}; unset = {@code rank}. */
    public Builder localRank(int v) { localRank = v; return this; }

    /** See {@link DistributedConfig#timeout()}. */
    public Builder timeout(Duration v) { timeout = v; return this; }

    /** See {@link DistributedConfig#bucketSizeMb()}. */
    public Builder bucketSizeMb(double v) { bucketSizeMb = v; return this; }

    /** See {@link DistributedConfig#networkInterface()}. */
    public Builder networkInterface(String v) { networkInterface = v; return this; }

    /** See {@link DistributedConfig#agentStore()}. */
    public Builder agentStore(boolean v) { agentStore = v; return this; }

    /** See {@link DistributedConfig#restartCount()}. */
    public Builder restartCount(int v) { restartCount = v; return this; }

    /** The validated config. */
    public DistributedConfig build() {
      return new DistributedConfig(backend, rendezvous, masterAddr, masterPort, storeFile, rank, worldSize,
          localRank == null ? rank : localRank, timeout, bucketSizeMb, networkInterface, agentStore, restartCount);
    }
  }
}
