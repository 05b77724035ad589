package io.github.argrpo.models.text.t5;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * T5's feed-forward ({@code DenseReluDense}): {@code wo(relu(wi x))} for the original T5, or
 * {@code wo(gelu_tanh(wi_0 x) * wi_1 x)} for T5 v1.1 / FLAN-T5 ({@code T5DenseActDense} and
 * {@code T5DenseGatedActDense} in Hugging Face). No biases; no dropout (inference only).
 *
 * <p>If {@code wo} is kept in a wider dtype than the rest (Hugging Face keeps it in fp32 for half
 * precision, see {@link T5Encoder#load(java.nio.file.Path, ScalarType, boolean)}), its input is cast to
 * that dtype first, as the reference does, and the output has that dtype.
 *
 * <p>State-dict keys: {@code wi.weight} (dFf, dModel) or {@code wi_0.weight} and {@code wi_1.weight};
 * {@code wo.weight} (dModel, dFf). Build outside any {@code PointerScope}.
 */
public final class T5FeedForward extends Module {

  private final T5Config.FeedForwardProj kind;
  private final LinearImpl wo;
  private final Tensor wiWeight;
  private final Tensor wi1Weight;
  private final Tensor woWeight;

  /** The feed-forward of {@code config}. */
  public T5FeedForward(T5Config config) {
    this.kind = config.feedForward();
    if (kind.gated()) {
      this.wiWeight = new Tensor(linear("wi_0", config.dModel(), config.dFf()).weight());
      this.wi1Weight = new Tensor(linear("wi_1", config.dModel(), config.dFf()).weight());
    } else {
      this.wiWeight = new Tensor(linear("wi", config.dModel(), config.dFf()).weight());
      this.wi1Weight = null;
    }
    this.wo = linear("wo", config.dFf(), config.dModel());
    // Owned handles: weight() is a reference into the C++ module. Module.to() changes the tensors in
    // place (set_data), so these follow dtype changes.
    this.woWeight = new Tensor(wo.weight());
  }

  private LinearImpl linear(String name, long in, long out) {
    LinearOptions o = new LinearOptions(in, out);
    o.bias().put(false);
    return register_module(name, new LinearImpl(o));
  }

  /** {@code x} (..., dModel) to (..., dModel); owned by the caller's scope. */
  public Tensor forward(Tensor x) {
    Tensor h;
    if (kind.gated()) {
      // gelu_new is the tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
      h = torch.gelu(torch.linear(x, wiWeight), "tanh").mul(torch.linear(x, wi1Weight));
    } else {
      h = torch.relu(torch.linear(x, wiWeight));
    }
    if (h.scalar_type().value != woWeight.scalar_type().value) {
      h = h.to(woWeight.scalar_type());
    }
    return torch.linear(h, woWeight);
  }

  /** The output projection, whose dtype {@link T5Encoder} may set apart from the rest. */
  LinearImpl wo() {
    return wo;
  }
}
