package io.github.argrpo.models.llamagen;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * Registers the reference's bias-free {@code nn.Linear} children, so that state-dict keys read
 * {@code <name>.weight} with shape {@code (out, in)} as in PyTorch.
 */
final class Linears {

  private Linears() {}

  /**
   * An owned handle on a linear layer's weight. {@code LinearImpl.weight()} returns a reference into the
   * C++ module; a copy of the handle shares the same tensor (and follows {@code Module.to}) but does not
   * dangle if the wrapper it came from is collected.
   */
  static Tensor weight(LinearImpl linear) {
    return new Tensor(linear.weight());
  }

  /** A bias-free linear child {@code name} of {@code parent}; its weight is the reference's. */
  static LinearImpl register(Module parent, String name, long in, long out) {
    LinearOptions o = new LinearOptions(in, out);
    o.bias().put(false);
    return parent.register_module(name, new LinearImpl(o));
  }
}
