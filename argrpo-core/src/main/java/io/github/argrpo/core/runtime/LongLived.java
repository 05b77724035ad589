package io.github.argrpo.core.runtime;

import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.bytedeco.javacpp.PointerScope;

/**
 * Builds objects that own long-lived native memory (modules, parameters) out of reach of the caller's
 * {@code PointerScope}s.
 *
 * <p>Why: JavaCPP attaches every new {@code Pointer} to the innermost open scope of the current
 * thread, and closing that scope frees it; a model built inside a training step's scope would lose its
 * parameters when the step ends (libtorch notes, section 5). Scopes are thread-local, so when a scope is
 * open the construction runs on a short-lived helper thread that has none.
 *
 * <pre>{@code
 * VqModel vq = LongLived.build(() -> new VqModel(config, precision, device));
 * }</pre>
 */
public final class LongLived {

  private LongLived() {}

  /** {@code factory.get()}, run where no {@code PointerScope} can capture what it allocates. */
  public static <T> T build(Supplier<T> factory) {
    if (PointerScope.getInnerScope() == null) {
      return factory.get();
    }
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        // on the rank's GPU, like the caller (CUDA's current device is per thread)
        RankDevice.makeCurrent();
        result.set(factory.get());
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "argrpo-model-builder");
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building a model", e);
    }
    Throwable e = failure.get();
    if (e instanceof RuntimeException re) {
      throw re;
    }
    if (e instanceof Error err) {
      throw err;
    }
    if (e != null) {
      throw new CompletionException(e);
    }
    return result.get();
  }
}
