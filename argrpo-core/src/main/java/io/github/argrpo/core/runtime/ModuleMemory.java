package io.github.argrpo.core.runtime;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;

/**
 * Frees the parameter, gradient and buffer memory of a module now, rather than when the garbage
 * collector gets to every Java handle that refers to it.
 *
 * <p>Why: a model's tensors are referenced by the C++ module and by the Java wrappers the model
 * classes keep (one per parameter, owned handles because the bindings' references dangle; see
 * {@code docs/runtime.md}). Closing the module releases only its own reference, so the storage stayed
 * alive until GC, and GC sees only the small wrappers, not the hundreds of MB behind them: creating and
 * closing a GPT-B five times grew the process by 2.1 GB. Replacing each tensor's storage with an empty
 * one ({@code Tensor.set_()}, under no-grad because parameters are leaves) frees the memory whoever
 * holds the tensor; measured: flat at +25 MB over six create/close rounds of GPT-B.
 *
 * <p>After {@link #release} the module's tensors are empty: the owner must refuse further use (the
 * model classes throw {@code IllegalStateException} once closed).
 */
public final class ModuleMemory {

  private ModuleMemory() {}

  /** Empties every parameter (and its gradient) and buffer of {@code module} and its submodules. */
  public static void release(Module module) {
    if (module == null || module.isNull()) {
      return;
    }
    try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
      StringTensorDict params = module.named_parameters(true);
      for (long i = 0; i < params.size(); i++) {
        // value() points into params, which is alive for this whole loop
        Tensor p = params.get(i).value();
        Tensor g = p.grad();
        if (g != null && !g.isNull() && g.defined()) {
          g.set_();
        }
        p.set_();
      }
      StringTensorDict buffers = module.named_buffers(true);
      for (long i = 0; i < buffers.size(); i++) {
        buffers.get(i).value().set_();
      }
    }
  }
}
