package io.github.argrpo.core.distributed;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A world of {@code n} ranks inside one JVM, one dedicated thread per rank (libtorch's grad mode is
 * thread-local, so each rank keeps its thread): fast tests of the collectives without child JVMs.
 */
final class InProcessRanks implements AutoCloseable {

  private final List<ExecutorService> threads = new ArrayList<>();
  private final List<C10dContext> contexts = new ArrayList<>();

  InProcessRanks(int n, Duration timeout, double bucketMb) throws Exception {
    this(n, freePort(), b -> b.timeout(timeout).bucketSizeMb(bucketMb));
  }

  /** Ranks on {@code port} whose configs {@code customize} adjusts (rank, world and port are set). */
  InProcessRanks(int n, int port, UnaryOperator<DistributedConfig.Builder> customize) throws Exception {
    for (int r = 0; r < n; r++) {
      threads.add(Executors.newSingleThreadExecutor(daemon("rank-" + r)));
    }
    List<Future<C10dContext>> f = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      DistributedConfig cfg = customize.apply(DistributedConfig.builder().rank(r).worldSize(n).masterPort(port)).build();
      f.add(threads.get(r).submit(() -> C10dContext.connect(cfg)));
    }
    for (Future<C10dContext> c : f) {
      contexts.add(c.get(60, TimeUnit.SECONDS));
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Runs {@code body} on every rank concurrently and returns the results in rank order. */
  <T> List<T> onEachRank(Function<C10dContext, T> body) throws Exception {
    List<Future<T>> f = new ArrayList<>();
    for (int r = 0; r < contexts.size(); r++) {
      C10dContext c = contexts.get(r);
      f.add(threads.get(r).submit(() -> body.apply(c)));
    }
    List<T> out = new ArrayList<>();
    for (Future<T> x : f) {
      try {
        out.add(x.get(60, TimeUnit.SECONDS));
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Exception ex) {
          throw ex;
        }
        throw e;
      } catch (TimeoutException e) {
        throw new AssertionError("a rank did not finish within 60 s (hang)", e);
      }
    }
    return out;
  }

  /** Runs {@code body} on every rank and returns each rank's thrown exception (null if none). */
  List<Throwable> failuresOnEachRank(Function<C10dContext, ?> body) throws Exception {
    return onEachRank(c -> {
      try {
        body.apply(c);
        return null;
      } catch (RuntimeException e) {
        return (Throwable) e;
      }
    });
  }

  @Override
  public void close() throws Exception {
    try {
      onEachRank(c -> {
        c.close();
        return null;
      });
    } finally {
      for (ExecutorService t : threads) {
        t.shutdownNow();
      }
    }
  }
}
