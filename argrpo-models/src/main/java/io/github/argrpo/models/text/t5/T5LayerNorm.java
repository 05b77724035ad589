package io.github.argrpo.models.text.t5;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * T5's layer norm: an RMS norm without mean subtraction and without bias,
 * {@code weight * (x * rsqrt(mean(x^2) + eps))}.
 *
 * <p>As in Hugging Face's {@code T5LayerNorm}, the mean square is taken in fp32 and the normalised
 * value is cast to the weight's dtype only when the weight is bf16 or fp16; the weight product is
 * then a separate rounding in that dtype. Casting to the <em>weight's</em> dtype rather than the
 * input's matters when the residual stream is fp32 and the model bf16 (see
 * {@link T5Encoder#load(java.nio.file.Path, ScalarType, boolean)}): the norm hands bf16 to the next
 * projection. libtorch's {@code rms_norm} without a weight does the first part (upcast, normalise,
 * cast back to the input dtype).
 *
 * <p>State-dict key: {@code weight} (dim), initialised to ones. Build outside any {@code PointerScope}.
 */
public final class T5LayerNorm extends Module {

  private final Tensor weight;
  private final long dim;
  private final double eps;

  /** A norm over the last dimension of size {@code dim}. */
  public T5LayerNorm(long dim, double eps) {
    this.dim = dim;
    this.eps = eps;
    // an owned handle: register_parameter returns a reference into the module's parameter dict
    this.weight = new Tensor(register_parameter("weight", torch.ones(dim)));
  }

  /** Normalises {@code x} (..., dim); the result belongs to the caller's scope. */
  public Tensor forward(Tensor x) {
    Tensor normalized = torch.rms_norm(x, new long[] {dim}, new TensorOptional(), new DoubleOptional(eps));
    int w = weight.scalar_type().value;
    if ((w == ScalarType.BFloat16.value || w == ScalarType.Half.value) && normalized.scalar_type().value != w) {
      normalized = normalized.to(weight.scalar_type());
    }
    return weight.mul(normalized);
  }

  /** The live weight parameter. */
  public Tensor weight() {
    return weight;
  }
}
