package io.github.argrpo.models.vq;

import static org.bytedeco.pytorch.global.torch.group_norm;
import static org.bytedeco.pytorch.global.torch.ones;
import static org.bytedeco.pytorch.global.torch.zeros;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The reference {@code Normalize(C)}: {@code GroupNorm(num_groups=32, C, eps=1e-6, affine=True)}, with
 * parameters {@code weight} and {@code bias} (ones and zeros at init).
 *
 * <p>In bf16 the statistics are computed in fp32: the input and the affine parameters are upcast, normed
 * and the result rounded back to bf16 once. GroupNorm over a 256x256x4-channel group sums 262144 values,
 * and a bf16 mean/variance (8 mantissa bits) would shift every activation of the group.
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
    ScalarType dt = Dtypes.of(x);
    if (dt == ScalarType.Float) {
      return group_norm(x, groups, new TensorOptional(weight), new TensorOptional(bias), eps, true);
    }
    Tensor y = group_norm(x.to(ScalarType.Float), groups, new TensorOptional(weight.to(ScalarType.Float)),
        new TensorOptional(bias.to(ScalarType.Float)), eps, true);
    return y.to(dt);
  }
}
