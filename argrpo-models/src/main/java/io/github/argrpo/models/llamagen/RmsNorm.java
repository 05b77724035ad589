package io.github.argrpo.models.llamagen;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * LlamaGen's RMSNorm: {@code (x.float() * rsqrt(mean(x^2) + eps)).type_as(x) * weight}.
 *
 * <p>The normalisation runs in fp32 and is cast back to the input dtype <em>before</em> the weight is
 * applied, so in bf16 the weight product is a separate bf16 rounding, as in the reference. libtorch's
 * {@code rms_norm} without a weight does exactly the first part (upcast, normalise, cast back).
 *
 * <p>State-dict key: {@code weight} (dim), initialised to ones. Build outside any {@code PointerScope}.
 */
public final class RmsNorm extends Module {

  private final Tensor weight;
  private final long dim;
  private final double eps;

  /** A norm over the last dimension of size {@code dim}. */
  public RmsNorm(long dim, double eps) {
    this.dim = dim;
    this.eps = eps;
    // an owned handle: register_parameter returns a reference into the module's parameter dict
    this.weight = new Tensor(register_parameter("weight", torch.ones(dim)));
  }

  /** Normalises {@code x} (..., dim); the result has the dtype of {@code x} and the caller's scope. */
  public Tensor forward(Tensor x) {
    Tensor normalized = torch.rms_norm(x, new long[] {dim}, new TensorOptional(), new DoubleOptional(eps));
    return normalized.mul(weight);
  }

  /** The live weight parameter. */
  public Tensor weight() {
    return weight;
  }
}
