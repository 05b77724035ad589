package io.github.argrpo.core.distributed;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.AllreduceOptions;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.BarrierOptions;
import org.bytedeco.pytorch.BroadcastOptions;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.ReduceOp;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.grpo.GradientSynchronizer;
import io.github.argrpo.core.runtime.NativeRuntime;

/**
 * {@link DistributedContext} on libtorch's c10d: a {@code TCPStore} (or {@code FileStore}) for the
 * rendezvous and a {@code ProcessGroupGloo} (CPU) or {@code ProcessGroupNCCL} (CUDA, {@code gpu} build)
 * for the collectives. libtorch's C++ API has no DistributedDataParallel, so gradient averaging is
 * {@link #gradientSynchronizer()}: flat buckets, all-reduce SUM, divide by the world size.
 *
 * <pre>{@code
 * try (C10dContext ctx = C10dContext.connect(DistributedConfig.fromEnvironment());
 *      AdamWGrpoOptimizer opt = new AdamWGrpoOptimizer(policy, config)) {
 *   ctx.broadcast(policy.trainableParameters());          // every rank starts from rank 0's weights
 *   opt.setGradientSynchronizer(ctx.gradientSynchronizer());
 *   ...
 * }
 * }</pre>
 *
 * <p><b>Never a hang.</b> The rendezvous is bounded by the store timeout, each collective by
 * {@code Work.wait(timeout)} and Gloo's own per-operation timeout, both {@link DistributedConfig#timeout()}.
 * A peer that dies closes its sockets, which Gloo reports at once; a peer that is alive but stuck is
 * caught by the timeout. Either way the call throws {@link DistributedException}, the context is marked
 * failed, and every later call throws at once with the first failure as cause.
 *
 * <p><b>Native memory.</b> The store and process group live until {@link #close()}; every collective
 * allocates its temporaries inside its own {@code PointerScope}. After a failure {@link #close()} leaves
 * the process group's native teardown undone on purpose: its destructor drains the queue of pending
 * collectives, each of which may wait a full timeout, and the process is about to end anyway.
 *
 * <p>Not thread-safe: one thread (the trainer's) issues the collectives, in the same order on every rank.
 */
public final class C10dContext implements DistributedContext {

  private static final Logger LOG = LoggerFactory.getLogger(C10dContext.class);

  private final DistributedConfig config;
  private final Store store;
  private final Backend group;
  private final Device device;
  private final String where;
  private final BucketedGradientSynchronizer gradientSynchronizer;
  private volatile DistributedException failure;
  private boolean closed;

  private C10dContext(DistributedConfig config, Store store, Backend group, Device device) {
    this.config = config;
    this.store = store;
    this.group = group;
    this.device = device;
    this.where = "rank " + config.rank() + " of " + config.worldSize();
    this.gradientSynchronizer = new BucketedGradientSynchronizer(this, config.bucketSizeBytes());
  }

  /**
   * Joins the group described by {@code config}: creates the store (rank 0 serves the {@code TCPStore})
   * and connects the process group to every other rank. Blocks until every rank has joined, at most
   * {@link DistributedConfig#timeout()}.
   *
   * @throws DistributedException if the rendezvous does not complete within the timeout or a peer
   *     cannot be reached
   * @throws IllegalStateException if {@link DistributedBackend#NCCL} is asked of a build without CUDA
   */
  public static C10dContext connect(DistributedConfig config) {
    NativeRuntime.init();
    long t0 = System.nanoTime();
    String who = "rank " + config.rank() + " of " + config.worldSize();
    String rdv = C10dRendezvous.describe(config);
    Store store;
    try {
      store = C10dRendezvous.createStore(config);
    } catch (RuntimeException e) {
      throw new DistributedException("rendezvous failed: " + who + " could not "
          + (C10dRendezvous.servesStore(config) ? "serve" : "reach") + " the " + rdv + " within "
          + config.timeout().toMillis() + " ms (is rank 0 running and the port free and reachable?): " + firstLine(e), e);
    }
    Backend group;
    Device device;
    try {
      if (config.backend() == DistributedBackend.NCCL) {
        device = NcclGroups.device(config);
        group = NcclGroups.create(store, config);
      } else {
        device = new Device(DeviceType.CPU);
        group = C10dRendezvous.createGloo(store, config);
      }
    } catch (IllegalStateException e) {
      store.close();
      throw e;
    } catch (RuntimeException e) {
      // The store is deliberately not torn down here: rank 0's TCPStore server may still be serving a
      // peer that is half-way through its own rendezvous, and the process ends anyway.
      throw new DistributedException("rendezvous failed: " + who + " did not see all " + config.worldSize()
          + " ranks join through the " + rdv + " within " + config.timeout().toMillis() + " ms (did every rank start, "
          + "with the same WORLD_SIZE and MASTER_ADDR/MASTER_PORT?): " + firstLine(e), e);
    }
    LOG.info("{} joined the {} group through the {} in {} ms", who, config.backend().name().toLowerCase(), rdv,
        (System.nanoTime() - t0) / 1_000_000);
    return new C10dContext(config, store, group, device);
  }

  /** The configuration this context was connected with. */
  public DistributedConfig config() {
    return config;
  }

  @Override
  public int rank() {
    return config.rank();
  }

  @Override
  public int worldSize() {
    return config.worldSize();
  }

  /** The first failure of this context, or null while it is healthy. */
  public DistributedException failure() {
    return failure;
  }

  /**
   * Overwrites every tensor with rank 0's values, in buckets of the configured size. All ranks pass
   * tensors of the same shapes and dtypes in the same order (checked: count and total size).
   */
  @Override
  public void broadcast(List<Tensor> tensors) {
    ensureUsable("broadcast");
    long numel = 0;
    for (Tensor t : tensors) {
      numel += t.numel();
    }
    checkAgreement("broadcast (tensor count, total elements)", tensors.size(), numel);
    List<BucketPlan.Bucket> plan = BucketPlan.of(tensors, config.bucketSizeBytes());
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      // all buckets in flight before the first wait, as for the gradients
      Tensor[] flats = new Tensor[plan.size()];
      Work[] works = new Work[plan.size()];
      for (int k = 0; k < plan.size(); k++) {
        flats[k] = flatten(tensors, plan.get(k), false);
        works[k] = group.broadcast(new TensorVector(flats[k]), new BroadcastOptions().rootRank(0).timeout(timeoutMs()));
      }
      for (int k = 0; k < plan.size(); k++) {
        BucketPlan.Bucket b = plan.get(k);
        await(works[k], "broadcast (bucket " + (k + 1) + " of " + plan.size() + ", " + b.count() + " tensors, "
            + b.bytes() + " bytes)");
        long off = 0;
        for (int i = b.from(); i < b.to(); i++) {
          Tensor t = tensors.get(i);
          t.copy_(flats[k].narrow(0, off, t.numel()).view_as(t));
          off += t.numel();
        }
      }
    }
  }

  @Override
  public GradientSynchronizer gradientSynchronizer() {
    return gradientSynchronizer;
  }

  /**
   * Concatenation of every rank's array in rank order. Implemented as an all-reduce SUM of a zero
   * vector of {@code worldSize * n} into which each rank writes its own slice: adding zeros is exact
   * in floating point, it needs no nested-vector binding, and the arrays here are small (rewards).
   *
   * @throws DistributedException if the ranks pass different lengths, or on failure or timeout
   */
  @Override
  public double[] allGather(double[] local) {
    ensureUsable("allGather");
    int n = local.length;
    checkAgreement("allGather (array length)", n);
    int world = worldSize();
    double[] out = new double[n * world];
    if (n == 0) {
      return out;
    }
    try (PointerScope scope = new PointerScope()) {
      Tensor all = torch.zeros(new long[] {(long) n * world}, new TensorOptions(ScalarType.Double));
      all.narrow(0, (long) rank() * n, n).copy_(Tensor.create(local, n));
      Tensor onDevice = toDevice(all);
      allReduceSum(onDevice, "allGather of " + n + " values");
      Tensor back = onDevice.cpu().contiguous();
      new DoublePointer(back.data_ptr_double()).get(out);
    }
    return out;
  }

  /**
   * The mean over ranks of each value (NaN stays NaN). The result keeps {@code local}'s key order.
   *
   * @throws DistributedException if the ranks pass different key sets, or on failure or timeout
   */
  @Override
  public Map<String, Double> meanOver(Map<String, Double> local) {
    ensureUsable("meanOver");
    TreeMap<String, Double> sorted = new TreeMap<>();
    for (Map.Entry<String, Double> e : local.entrySet()) {
      checkArgument(e.getValue() != null, "meanOver: metric '%s' is null; pass a number (NaN if absent)", e.getKey());
      sorted.put(e.getKey(), e.getValue());
    }
    // Same keys on every rank: compare the count and a hash of the sorted names before summing
    // values that could otherwise be silently mixed up.
    checkAgreement("meanOver (metric names " + sorted.keySet() + ")", sorted.size(),
        String.join("\u0000", sorted.keySet()).hashCode());
    Map<String, Double> out = new LinkedHashMap<>();
    if (sorted.isEmpty()) {
      return out;
    }
    double[] v = new double[sorted.size()];
    int i = 0;
    for (double d : sorted.values()) {
      v[i++] = d;
    }
    double[] sum = new double[v.length];
    try (PointerScope scope = new PointerScope()) {
      Tensor t = toDevice(Tensor.create(v, v.length));
      allReduceSum(t, "meanOver of " + v.length + " metrics");
      new DoublePointer(t.cpu().contiguous().data_ptr_double()).get(sum);
    }
    Map<String, Double> byName = new TreeMap<>();
    i = 0;
    for (String k : sorted.keySet()) {
      byName.put(k, sum[i++] / worldSize());
    }
    for (String k : local.keySet()) {
      out.put(k, byName.get(k));
    }
    return out;
  }

  @Override
  public void barrier() {
    ensureUsable("barrier");
    try (PointerScope scope = new PointerScope()) {
      await(group.barrier(new BarrierOptions().timeout(timeoutMs())), "barrier");
    }
  }

  /**
   * Leaves the group. A healthy context first waits (bounded) for every rank to arrive, so rank 0
   * does not take its store down under a rank that is still finishing; a failed one skips the native
   * teardown (see the class comment). Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (failure == null && worldSize() > 1) {
      try {
        barrier();
      } catch (DistributedException e) {
        LOG.warn("{}: the closing barrier failed ({}); leaving without it", where, e.getMessage());
      }
    }
    closed = true;
    if (failure != null) {
      LOG.debug("{}: failed context, native process group left to the process exit", where);
      group.deallocate(false);
      store.deallocate(false);
      return;
    }
    group.close();
    store.close();
  }

  // ---------------------------------------------------------------- internals used by the synchronizer

  /** Starts an all-reduce SUM of {@code t} (in place); the caller awaits the returned work. */
  Work startAllReduceSum(Tensor t) {
    return group.allreduce(new TensorVector(t), new AllreduceOptions().timeout(timeoutMs()));
  }

  /**
   * Waits for {@code work} at most the timeout; on any failure marks the context failed and throws.
   * {@code what} names the operation in the message.
   */
  void await(Work work, String what) {
    boolean done;
    try {
      done = work._wait(timeoutMs());
    } catch (RuntimeException e) {
      throw fail(what, e);
    }
    if (!done) {
      throw fail(what, null);
    }
  }

  /** Throws if the context is closed or failed earlier. */
  void ensureUsable(String what) {
    if (failure != null) {
      throw new DistributedException(where + ": " + what + " on a failed distributed context; the run must end",
          failure);
    }
    checkState(!closed, "%s: %s on a closed distributed context", where, what);
  }

  int worldSizeInternal() {
    return config.worldSize();
  }

  /** Flattens tensors {@code [b.from, b.to)} into one contiguous 1-D tensor (undefined grads as zeros). */
  static Tensor flatten(List<Tensor> tensors, BucketPlan.Bucket b, boolean grads) {
    List<Tensor> parts = new ArrayList<>(b.count());
    for (int i = b.from(); i < b.to(); i++) {
      Tensor p = tensors.get(i);
      Tensor src = grads ? p.grad() : p;
      parts.add(src.defined() ? src.detach().reshape(-1) : torch.zeros_like(p.detach()).reshape(-1));
    }
    return parts.size() == 1 ? parts.get(0).clone() : torch.cat(new TensorVector(parts.toArray(new Tensor[0])), 0);
  }

  private DistributedException fail(String what, RuntimeException cause) {
    String reason = cause == null ? "" : firstLine(cause).replaceAll("[.!]+$", "");
    String msg = where + ": " + what + (cause == null ? " did not complete within " + config.timeout().toMillis()
        + " ms" : " failed: " + reason) + ". A peer process probably died or is stuck (check the other "
        + "ranks' logs); the run cannot continue.";
    DistributedException e = new DistributedException(msg, cause);
    if (failure == null) {
      failure = e;
    }
    LOG.error(msg);
    return e;
  }

  /**
   * The first line of a libtorch error: c10 messages append a native stack trace ("Exception raised
   * from ... frame #0 ...") that stays available in the cause but would bury the reason in ours.
   */
  static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage()).strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl).strip();
  }

  private Milliseconds timeoutMs() {
    return new Milliseconds(config.timeout().toMillis());
  }

  /** {@code t} on the process group's device (NCCL reduces CUDA tensors only). */
  Tensor toDevice(Tensor t) {
    return device.is_cpu() ? t : t.to(device, t.scalar_type());
  }

  private void allReduceSum(Tensor t, String what) {
    await(startAllReduceSum(t), what);
  }

  /**
   * Checks that every rank passes the same {@code values} (one all-reduce MAX of {@code [v, -v]}).
   *
   * @throws DistributedException naming {@code what}, this rank's values and the range seen
   */
  private void checkAgreement(String what, long... values) {
    int n = values.length;
    long[] both = new long[2 * n];
    for (int i = 0; i < n; i++) {
      both[i] = values[i];
      both[n + i] = -values[i];
    }
    long[] max = new long[2 * n];
    try (PointerScope scope = new PointerScope()) {
      Tensor t = toDevice(Tensor.create(both, 2L * n));
      await(group.allreduce(new TensorVector(t), new AllreduceOptions().reduceOp(new ReduceOp(ReduceOp.RedOpType.MAX))
          .timeout(timeoutMs())), "agreement check of " + what);
      new LongPointer(t.cpu().contiguous().data_ptr_long()).get(max);
    }
    for (int i = 0; i < n; i++) {
      long hi = max[i];
      long lo = -max[n + i];
      if (hi != values[i] || lo != values[i]) {
        // Every rank sees the same maximum and minimum, so every rank throws here: nobody is left waiting.
        DistributedException e = new DistributedException(where + ": ranks disagree on " + what + ": this rank has " + values[i]
            + ", the ranks range over [" + lo + ", " + hi + "]; every rank must make the same collective calls "
            + "with the same shapes in the same order");
        if (failure == null) {
          failure = e;
        }
        throw e;
      }
    }
  }
}
