package io.github.argrpo.models.vq;

import static org.bytedeco.pytorch.global.torch.group_norm;
import static org.bytedeco.pytorch.global.torch.ones;
import static org.bytedeco.pytorch.global.torch.zeros;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;

/**
 * The reference {@code Normalize(C)}: {@code GroupNorm(num_groups=32, C, eps=1e-6, affine=True)}, with
 * parameters {@code weight} and {@code bias} (ones and zeros at init).
 *
 * <p>In bf16 the statistics must be fp32: a group at 256 px holds 262144 values, and a bf16 mean/variance
 * (8 mantissa bits) would shift every activation of the group. libtorch's kernel does exactly that
 * (fp32 accumulation, one rounding of the output), checked by {@code NormalizeTest}.
 */
public final class Normalize extends Module {

  private final Tensor weight;
  private final Tensor bias;
  private final long groups;
  private final double eps;

  /** A GroupNorm over {@code channels} channels in {@code groups} groups. */
  public Normalize(long channels, int groups, double eps) {
    if (channels % groups != 0) {
      throw new IllegalArgumentException(
          "GroupNorm groups " + groups + " must divide the channel count, got " + channels + " channels");
    }
    this.groups = groups;
    this.eps = eps;
    // Binding pitfall: register_parameter returns a reference INTO the module's parameter list, which the
    // next registration may reallocate; keep our own handles (same TensorImpl, so Module.to() casts reach them).
    this.weight = new Tensor(register_parameter("weight", ones(channels)));
    this.bias = new Tensor(register_parameter("bias", zeros(channels)));
  }

  /** Normalizes {@code x (B, C, H, W)}; the result is in the caller's scope, in {@code x}'s dtype. */
  public Tensor forward(Tensor x) {
    // For bf16 input libtorch's GroupNorm kernels accumulate mean and variance in fp32 and round the
    // normalised output once (NormalizeTest bounds the error by that rounding); upcasting the input by hand
    // stays within the same bound and is 1.4x slower.
    return group_norm(x, groups, new TensorOptional(weight), new TensorOptional(bias), eps, true);
  }
}
