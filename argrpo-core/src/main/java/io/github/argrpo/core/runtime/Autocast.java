package io.github.argrpo.core.runtime;

import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * A scope of libtorch automatic mixed precision: inside, matmuls and convolutions on {@code device}
 * run in {@code dtype} while parameters stay fp32 and receive fp32 gradients. This is
 * {@code torch.autocast(device_type, dtype=torch.bfloat16)}, which AR-GRPO wraps around its GPT passes
 * on CUDA (libtorch notes, section 8, for the CPU behaviour). Autocast state is thread-local: open and
 * close the scope on the same thread.
 *
 * <pre>{@code
 * try (Autocast a = Autocast.bf16(DeviceType.CUDA)) {
 *   Tensor logits = model.forward(x);        // bf16 matmuls
 * }
 * loss.backward();                            // fp32 gradients for fp32 parameters
 * }</pre>
 *
 * <p>Log-probabilities should be taken in fp32 explicitly ({@code log_softmax(x, -1, Float)}): on CPU a
 * bf16 softmax input stays bf16 under autocast.
 */
public final class Autocast implements AutoCloseable {

  private final DeviceType device;
  private final boolean previousEnabled;
  private final ScalarType previousDtype;
  private final boolean enabling;
  private boolean closed;

  private Autocast(DeviceType device, ScalarType dtype, boolean enable) {
    NativeRuntime.init();
    this.device = device;
    this.enabling = enable;
    this.previousEnabled = torch.is_autocast_enabled(device);
    this.previousDtype = torch.get_autocast_dtype(device);
    torch.set_autocast_enabled(device, enable);
    if (enable) {
      torch.set_autocast_dtype(device, dtype);
      torch.increment_nesting();
    }
  }

  /** bf16 autocast on {@code device} (CPU or CUDA). */
  public static Autocast bf16(DeviceType device) {
    return new Autocast(device, ScalarType.BFloat16, true);
  }

  /**
   * A scope with autocast off on {@code device} ({@code torch.autocast(..., enabled=False)}), for an op that
   * must keep its inputs' dtype inside an autocast region; the enclosing state comes back on close and the
   * cast cache is kept.
   */
  public static Autocast disabled(DeviceType device) {
    return new Autocast(device, null, false); // no dtype: nothing is cast inside
  }

  /** Restores the previous autocast state of this thread; the cast cache is cleared at the outermost scope. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (enabling && torch.decrement_nesting() == 0) {
      torch.clear_cache();
    }
    torch.set_autocast_dtype(device, previousDtype);
    torch.set_autocast_enabled(device, previousEnabled);
  }
}
