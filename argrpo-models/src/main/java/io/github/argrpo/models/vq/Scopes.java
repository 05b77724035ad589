package io.github.argrpo.models.vq;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Hands a block's result out of the block's own {@code PointerScope}.
 *
 * <p>Why: a decoder block at 256 px creates a dozen full-resolution temporaries (about 270 MB each for a
 * batch of 8 in fp32). If they all lived until the caller's scope closes, decoding would need many GB;
 * each block therefore runs in its own scope and only its output survives, attached to the scope that was
 * innermost when the block was called (so it is freed with the caller's other tensors).
 */
final class Scopes {

  private Scopes() {}

  /** The scope a block's result must end up in: the innermost one at call time, or null. */
  static PointerScope outer() {
    return PointerScope.getInnerScope();
  }

  /**
   * Attaches {@code t} to {@code outer} so it survives the closing of the current inner scope. Without an
   * outer scope the tensor gets one extra reference and is left to JavaCPP's garbage-collection fallback:
   * callers are documented to run inside a scope.
   */
  /**
   * Frees {@code t} now instead of when {@code scope} closes. Only for tensors created in (or handed out to)
   * {@code scope}: {@code PointerScope.detach} releases a reference unconditionally.
   */
  static void freeNow(PointerScope scope, Tensor t) {
    scope.detach(t);
  }

  /** Frees {@code previous} (created in {@code scope}) and returns {@code next}: a rolling activation. */
  static Tensor replace(PointerScope scope, Tensor previous, Tensor next) {
    freeNow(scope, previous);
    return next;
  }

  static Tensor handOut(Tensor t, PointerScope outer) {
    if (outer != null) {
      outer.attach(t);
    } else {
      t.retainReference();
    }
    return t;
  }
}
