package io.github.argrpo.models.vq;

import static org.bytedeco.pytorch.global.torch.sigmoid;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * The reference {@code nonlinearity(x) = x * torch.sigmoid(x)}.
 *
 * <p>Written as the same two ops (sigmoid, then multiply) rather than the fused {@code silu}: the fused
 * kernel rounds differently in the last bit, and the parity fixtures compare decoder outputs to 1e-4.
 */
final class Swish {

  private Swish() {}

  /**
   * {@code x * sigmoid(x)}, written into {@code x} (which must be a temporary nobody else reads, such as a
   * GroupNorm output) and returned: the in-place multiply saves one full-size activation per call and
   * computes the same bits as the out-of-place one.
   */
  static Tensor applyInPlace(Tensor x) {
    // the sigmoid temporary is freed right here, not when the caller's scope closes
    try (PointerScope ignored = new PointerScope()) {
      x.mul_(sigmoid(x));
    }
    return x;
  }
}
