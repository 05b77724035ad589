package io.github.argrpo.models.vq;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Frees a VQ block's rolling activations before the block's scope closes.
 *
 * <p>Why: a decoder block at 256 px creates a dozen full-resolution temporaries (about 270 MB each for a
 * batch of 8 in fp32). Each block runs in its own scope and hands only its output out (core
 * {@link io.github.argrpo.core.runtime.Scopes}); inside a block, an activation that the next op replaces is
 * freed at once, so a block holds two full-resolution tensors at a time, not all of them.
 */
final class RollingActivations {

  private RollingActivations() {}

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
}
