package io.github.argrpo.rewards.clip;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * LayerNorm over the last dimension, computed in fp32 and cast back to the input dtype, as OpenAI's
 * {@code LayerNorm} subclass does for half-precision weights. Parameters {@code weight}, {@code bias}.
 */
final class ClipLayerNorm extends Module {

  private final Tensor weight;
  private final Tensor bias;
  private final long width;
  private final double eps;

  ClipLayerNorm(long width, double eps, ScalarType dtype) {
    this.width = width;
    this.eps = eps;
    this.weight = ClipParams.ones(this, "weight", dtype, width);
    this.bias = ClipParams.zeros(this, "bias", dtype, width);
  }

  Tensor forward(Tensor x) {
    ScalarType in = x.scalar_type();
    Tensor y = torch.layer_norm(x.to(ScalarType.Float), new long[] {width},
        new TensorOptional(weight.to(ScalarType.Float)), new TensorOptional(bias.to(ScalarType.Float)), eps, false);
    return y.to(in);
  }
}
