package io.github.argrpo.core.runtime;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Hands a result out of the {@code PointerScope} that computed it.
 *
 * <p>Why: every libtorch op returns a Java {@code Tensor} registered in the innermost scope, and its native
 * memory lives until that scope closes. A loop over micro-batches, blocks or chunks that runs in one scope
 * therefore keeps every iteration's temporaries (a GPT-B teacher-forced pass at 8 x 256 tokens: about 2 GB)
 * until the loop ends. Running each iteration in its own scope and handing only its result out bounds the
 * memory by one iteration:
 *
 * <pre>{@code
 * PointerScope outer = Scopes.outer();
 * for (...) {
 *   try (PointerScope step = new PointerScope()) {
 *     parts[k] = Scopes.handOut(compute(...), outer);   // the temporaries go with `step`
 *   }
 * }
 * }</pre>
 */
public final class Scopes {

  private Scopes() {}

  /** The scope a result must end up in: the innermost one at call time, or null. */
  public static PointerScope outer() {
    return PointerScope.getInnerScope();
  }

  /**
   * Attaches {@code t} to {@code outer} so it survives the closing of the current inner scope. Without an
   * outer scope the tensor gets one extra reference and is left to JavaCPP's garbage-collection fallback:
   * callers are documented to run inside a scope.
   */
  public static Tensor handOut(Tensor t, PointerScope outer) {
    if (outer != null) {
      outer.attach(t);
    } else {
      t.retainReference();
    }
    return t;
  }
}
