package io.github.argrpo.core.runtime;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ThreadFactory;
import java.util.function.IntConsumer;

import org.bytedeco.pytorch.global.torch_cuda;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GPU of this process in a data-parallel run, chosen before anything is built.
 *
 * <p>Why: a run config says {@code device: cuda} on every rank. An index-less CUDA device means "the
 * current device", which is {@code cuda:0} on every thread until someone calls {@code set_device}; the
 * NCCL group selects {@code cuda:LOCAL_RANK} only when it connects, so models built before that would
 * all land on GPU 0 while the collectives run on each rank's own GPU. A program therefore calls
 * {@link #select(DeviceSpec)} first, passes the returned device to every model it builds, and every
 * thread that runs CUDA work calls {@link #makeCurrent()} (CUDA's current device is per thread). Once a
 * GPU is selected, {@link DeviceSpec#toDevice()} maps a plain {@code cuda} (or {@code auto} on CUDA) to
 * it, so components configured with {@code device: cuda} (rewards) follow too.
 *
 * <pre>{@code
 * DeviceSpec device = RankDevice.select(DeviceSpec.parse("cuda"));   // cuda:<LOCAL_RANK>, made current
 * LlamaGenPolicy policy = LlamaGenPolicy.create(GptConfig.gptB(), device);
 * ExecutorService pool = Executors.newFixedThreadPool(2, RankDevice.threadFactory("scorer"));
 * }</pre>
 */
public final class RankDevice {

  private static final Logger LOG = LoggerFactory.getLogger(RankDevice.class);
  /** Makes a CUDA index current on the calling thread; tests without a GPU replace it. */
  private static final IntConsumer CUDA_SET_DEVICE = index -> torch_cuda.set_device((byte) index);
  /** The selected CUDA index, or -1 while none is (CPU runs, or before {@link #select}). */
  private static volatile int selected = -1;
  private static volatile IntConsumer setDevice = CUDA_SET_DEVICE;

  private RankDevice() {}

  /**
   * The device this rank uses (pure: no libtorch call). {@code cpu} stays {@code cpu}; an explicit
   * {@code cuda:N} stays (checked against the device count); {@code cuda} becomes
   * {@code cuda:<localRank>}, one GPU per process of this machine; {@code auto} becomes
   * {@code cuda:<localRank>} when the machine has GPUs and {@code cpu} otherwise.
   *
   * @param localRank rank among this machine's processes ({@code LOCAL_RANK}; 0 for a plain run)
   * @param deviceCount CUDA devices this process sees (0 without CUDA)
   * @throws IllegalArgumentException when the asked-for GPU does not exist, naming the fix
   */
  public static DeviceSpec resolve(DeviceSpec requested, int localRank, int deviceCount) {
    checkArgument(localRank >= 0, "local rank must be >= 0, got %s", localRank);
    String s = requested.spec();
    if (s.equals("cpu") || (s.equals("auto") && deviceCount == 0)) {
      return DeviceSpec.CPU;
    }
    checkArgument(deviceCount != 0,
        "device '%s' requested but this process sees no CUDA device: build with -Pgpu (linux-x86_64-gpu "
            + "natives) on a machine with an NVIDIA driver, or use --device cpu", s);
    if (s.startsWith("cuda:")) {
      int index = Integer.parseInt(s.substring("cuda:".length()));
      checkArgument(index < deviceCount,
          "device '%s' does not exist: this process sees %s CUDA device(s), cuda:0 to cuda:%s (check "
              + "CUDA_VISIBLE_DEVICES)", s, deviceCount, deviceCount - 1);
      return requested;
    }
    checkArgument(localRank < deviceCount,
        "device '%s' on local rank %s means cuda:%s, but this process sees only %s CUDA device(s): start at "
            + "most %s ranks per machine (--nproc_per_node), or give each rank an explicit cuda:N", s, localRank,
        localRank, deviceCount, deviceCount);
    return DeviceSpec.parse("cuda:" + localRank);
  }

  /** The local rank the environment gives ({@code LOCAL_RANK}, else {@code RANK}, else 0), as torchrun sets it. */
  public static int localRank(Map<String, String> env) {
    for (String name : new String[] {"LOCAL_RANK", "RANK"}) {
      String v = env.get(name);
      if (v != null && !v.isBlank()) {
        try {
          return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("environment variable " + name + " must be an integer, got '" + v + "'", e);
        }
      }
    }
    return 0;
  }

  /** {@link #select(DeviceSpec, int)} with the local rank of the process environment. */
  public static DeviceSpec select(DeviceSpec requested) {
    return select(requested, localRank(System.getenv()));
  }

  /**
   * Resolves {@code requested} for this machine ({@link #resolve}), remembers a CUDA choice for the
   * process and makes it current on the calling thread. Calling it again with a device that resolves
   * to the same GPU is free; a CPU choice selects nothing.
   *
   * @throws IllegalStateException when a different GPU was already selected in this process
   */
  public static synchronized DeviceSpec select(DeviceSpec requested, int localRank) {
    int count = NativeRuntime.cudaAvailable() ? torch_cuda.device_count() : 0;
    DeviceSpec d = resolve(requested, localRank, count);
    OptionalInt index = cudaIndex(d);
    if (index.isPresent()) {
      checkState(!(selected >= 0 && selected != index.getAsInt()),
          "this process already runs on cuda:%s; cannot also select %s (one GPU per process: give every model "
              + "of the run the same device)", selected, d);
      if (selected < 0) {
        LOG.info("device {} (asked for {}, local rank {}, {} GPU(s) visible)", d, requested, localRank, count);
      }
      selected = index.getAsInt();
      makeCurrent();
    }
    return d;
  }

  /** The selected GPU index, empty on CPU or before {@link #select}. */
  public static OptionalInt selected() {
    int s = selected;
    return s < 0 ? OptionalInt.empty() : OptionalInt.of(s);
  }

  /** Makes the selected GPU current on the calling thread; nothing when none is selected. */
  public static void makeCurrent() {
    int s = selected;
    if (s >= 0) {
      setDevice.accept(s);
    }
  }

  /**
   * Threads that make the selected GPU current before they run anything (a worker pool's threads
   * would otherwise start on {@code cuda:0}).
   */
  public static ThreadFactory threadFactory(String name) {
    return r -> {
      Thread t = new Thread(() -> {
        makeCurrent();
        r.run();
      }, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** The CUDA index of a resolved device, empty for {@code cpu} and index-less specs. */
  static OptionalInt cudaIndex(DeviceSpec d) {
    String s = d.spec();
    return s.startsWith("cuda:") ? OptionalInt.of(Integer.parseInt(s.substring("cuda:".length()))) : OptionalInt.empty();
  }

  /** Pretends GPU {@code index} was selected, with {@code setter} in place of CUDA's set_device (tests). */
  static synchronized void selectForTests(int index, IntConsumer setter) {
    selected = index;
    setDevice = setter;
  }

  /** Forgets the selection (tests). */
  static synchronized void resetForTests() {
    selected = -1;
    setDevice = CUDA_SET_DEVICE;
  }
}
