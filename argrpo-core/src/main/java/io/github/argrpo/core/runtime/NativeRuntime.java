package io.github.argrpo.core.runtime;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.util.concurrent.atomic.AtomicBoolean;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that prepares libtorch before any tensor is touched. Every entry point of the SDK
 * (models, rewards, the optimizer, the programs) calls {@link #init()}; calling it again is free.
 *
 * <p>What it does, in order, and why:
 *
 * <ol>
 *   <li><b>Per-allocation memory check off.</b> Unless the user set it, the system property
 *       {@code org.bytedeco.javacpp.maxPhysicalBytes} is set to {@code 0} before the first JavaCPP
 *       {@code Pointer} class initialises. JavaCPP otherwise reads the process's physical memory on
 *       every allocation (about 8 µs per op instead of 1.8 µs) and forces {@code System.gc()} when it
 *       thinks memory is short. Memory is then bounded by {@code PointerScope} discipline, which every
 *       step, rollout and reward call of the SDK keeps. The property only takes effect if nothing
 *       touched JavaCPP earlier; launchers should also pass {@code -Dorg.bytedeco.javacpp.maxPhysicalBytes=0}.
 *   <li><b>Native cache pre-extraction.</b> {@code Loader.cacheResources} extracts every libtorch
 *       library before the stub {@code libtorch.so} is loaded. Without it, a cold cache on a machine
 *       with a system libtorch (Debian's {@code python3-torch}) loads the system {@code libtorch_cpu.so}
 *       next to the bundled one and the JVM dies with SIGSEGV (libtorch notes, section 0 item 9).
 *   <li><b>Threads.</b> PyTorch counts physical cores through CPUID and picks 1 on small VMs, and
 *       matmuls run on OpenBLAS's own pool. Both are set to {@link #threads()}: the system property
 *       {@code argrpo.threads}, else the environment variable {@code OMP_NUM_THREADS}, else
 *       {@link Runtime#availableProcessors()}.
 *   <li><b>AdamW betas self-check.</b> The bindings expose the betas tuple in reverse order
 *       (libtorch notes, section 0 item 1); {@code grpo.AdamWFactory} relies on that layout, so it is checked
 *       once here on a default {@code AdamWOptions} and a wrong layout fails loudly.
 * </ol>
 */
public final class NativeRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(NativeRuntime.class);
  private static final AtomicBoolean READY = new AtomicBoolean();
  private static volatile int threads;

  private NativeRuntime() {}

  /** Prepares libtorch once per JVM (idempotent, thread-safe). */
  public static void init() {
    if (READY.get()) {
      return;
    }
    synchronized (NativeRuntime.class) {
      if (READY.get()) {
        return;
      }
      if (System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes") == null) {
        System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
      }
      try {
        Loader.cacheResources("/org/bytedeco/pytorch/" + Loader.getPlatform() + "/");
        Loader.cacheResources("/org/bytedeco/openblas/" + Loader.getPlatform() + "/");
      } catch (Exception e) {
        throw new IllegalStateException(
            "Could not extract the libtorch native libraries into the JavaCPP cache ("
                + System.getProperty("org.bytedeco.javacpp.cachedir", "~/.javacpp/cache")
                + "): " + e.getMessage() + ". Check disk space and write permission, or set "
                + "-Dorg.bytedeco.javacpp.cachedir to a writable folder.", e);
      }
      Loader.load(torch.class);
      int n = resolveThreads();
      torch.set_num_threads(n);
      setOpenBlasThreads(Integer.getInteger("argrpo.blas.threads", n));
      threads = n;
      checkBetasLayout();
      READY.set(true);
      LOG.debug("libtorch ready: {} intra-op threads, maxPhysicalBytes={}", n,
          System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes"));
    }
  }

  /** The number of intra-op (and OpenBLAS) threads in effect; initialises the runtime if needed. */
  public static int threads() {
    init();
    return threads;
  }

  /**
   * Changes the intra-op and OpenBLAS thread counts (a benchmark pins them, a multi-process launcher
   * divides the cores among ranks).
   */
  public static void setThreads(int n) {
    checkArgument(n >= 1, "threads must be >= 1, got %s", n);
    init();
    torch.set_num_threads(n);
    setOpenBlasThreads(n);
    threads = n;
  }

  static int resolveThreads() {
    String prop = System.getProperty("argrpo.threads");
    String env = System.getenv("OMP_NUM_THREADS");
    String chosen = prop != null ? prop : env;
    if (chosen != null && !chosen.isBlank()) {
      try {
        int n = Integer.parseInt(chosen.trim());
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException ignored) {
        // fall through to the message below
      }
      throw new IllegalArgumentException((prop != null ? "System property argrpo.threads" : "OMP_NUM_THREADS")
          + " must be a positive integer, got '" + chosen + "'");
    }
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  private static void setOpenBlasThreads(int n) {
    try {
      Class<?> ob = Class.forName("org.bytedeco.openblas.global.openblas");
      ob.getMethod("blas_set_num_threads", int.class).invoke(null, n);
    } catch (ReflectiveOperationException | LinkageError e) {
      // The GPU flavour or a custom build may come without the OpenBLAS presets: matmuls then use
      // whatever BLAS libtorch links, and its own thread settings.
      LOG.debug("OpenBLAS thread control unavailable: {}", e.toString());
    }
  }

  /** Whether a CUDA device is usable by this build of libtorch. */
  public static boolean cudaAvailable() {
    init();
    return torch.cuda_is_available();
  }

  private static void checkBetasLayout() {
    double[] stored = defaultBetasAsStored();
    // libtorch's default is (beta1, beta2) = (0.9, 0.999); reversed storage reads back 0.999 first.
    checkState(stored[0] == 0.999 && stored[1] == 0.9,
        "Unexpected AdamW betas layout in these bindings: default reads back [%s, %s], expected the "
            + "reversed [0.999, 0.9]. AdamWFactory would set the wrong betas; update it for this presets version.",
        stored[0], stored[1]);
  }

  /** Reads the betas of a default {@code AdamWOptions}; used by the self-check. */
  static double[] defaultBetasAsStored() {
    try (AdamWOptions o = new AdamWOptions(1e-3)) {
      DoublePointer b = o.betas();
      return new double[] {b.get(0), b.get(1)};
    }
  }
}
