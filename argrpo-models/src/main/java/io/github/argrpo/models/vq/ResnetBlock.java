package io.github.argrpo.models.vq;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.runtime.Scopes;

/**
 * The reference {@code ResnetBlock(in, out)}:
 * {@code h = conv2(swish(norm2(conv1(swish(norm1(x))))))}, output {@code shortcut(x) + h}, where the
 * shortcut is identity when {@code in == out} and the 1x1 convolution {@code nin_shortcut} otherwise
 * (the reference's {@code conv_shortcut} variant is never built). Dropout (between {@code norm2}'s swish
 * and {@code conv2}) is a no-op at inference and is not applied.
 *
 * <p>State-dict names: {@code norm1, conv1, norm2, conv2, [nin_shortcut]}, each {@code .weight/.bias}.
 */
public final class ResnetBlock extends Module {

  private final Normalize norm1;
  private final Conv2dImpl conv1;
  private final Normalize norm2;
  private final Conv2dImpl conv2;
  private final Conv2dImpl ninShortcut;

  /** A block mapping {@code in} to {@code out} channels, with GroupNorm settings from {@code config}. */
  public ResnetBlock(long in, long out, VqConfig config) {
    norm1 = register_module("norm1", new Normalize(in, config.normGroups(), config.normEps()));
    conv1 = register_module("conv1", Convs.conv3x3(in, out));
    norm2 = register_module("norm2", new Normalize(out, config.normGroups(), config.normEps()));
    conv2 = register_module("conv2", Convs.conv3x3(out, out));
    ninShortcut = in != out ? register_module("nin_shortcut", Convs.conv1x1(in, out)) : null;
  }

  /** Applies the block to {@code x (B, in, H, W)}; the result {@code (B, out, H, W)} is in the caller's scope. */
  public Tensor forward(Tensor x) {
    PointerScope outer = Scopes.outer();
    try (PointerScope block = new PointerScope()) {
      // each temporary is freed as soon as the next one exists: at 256 px a batch of 8 holds 268 MB per
      // activation, and this keeps the block at about four of them instead of seven
      Tensor n1 = Swish.applyInPlace(norm1.forward(x));
      Tensor h1 = conv1.forward(n1);
      RollingActivations.freeNow(block, n1);
      Tensor n2 = Swish.applyInPlace(norm2.forward(h1));
      RollingActivations.freeNow(block, h1);
      Tensor h = conv2.forward(n2);
      RollingActivations.freeNow(block, n2);
      Tensor shortcut = ninShortcut != null ? ninShortcut.forward(x) : x;
      // h + shortcut == shortcut + h bit for bit; in place on the temporary h
      h.add_(shortcut);
      return Scopes.handOut(h, outer);
    }
  }
}
