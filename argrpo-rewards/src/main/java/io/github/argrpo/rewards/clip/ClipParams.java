package io.github.argrpo.rewards.clip;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Creates the parameters of the CLIP modules directly in the target dtype, so that a bf16 ViT-H-14
 * (986M parameters) never exists as a 4 GB fp32 copy. Values are placeholders until weights are
 * loaded: N(0, 0.02) for matrices and embeddings, ones for norm scales, zeros for biases.
 */
final class ClipParams {

  private ClipParams() {}

  static Tensor normal(Module m, String name, ScalarType dtype, long... shape) {
    // fp32 normal sampling is vectorized in ATen, bf16 sampling is not (about 10x slower): sample one
    // tensor at a time in fp32 and cast, so the transient fp32 copy is one tensor, never the model.
    Tensor f = torch.randn(shape, new TensorOptions(ScalarType.Float));
    f.mul_(new Scalar(0.02));
    Tensor t = f.to(dtype);
    f.close();
    return register(m, name, t);
  }

  static Tensor ones(Module m, String name, ScalarType dtype, long... shape) {
    return register(m, name, torch.ones(shape, new TensorOptions(dtype)));
  }

  static Tensor zeros(Module m, String name, ScalarType dtype, long... shape) {
    return register(m, name, torch.zeros(shape, new TensorOptions(dtype)));
  }

  private static Tensor register(Module m, String name, Tensor t) {
    // Inference-only model: no gradients, so the reward never builds an autograd graph. The binding
    // returns a reference into the module's parameter dict, which dangles once the dict grows: copy the
    // handle at once (it shares the storage, so loading weights into it fills the parameter).
    return new Tensor(m.register_parameter(name, t, false));
  }
}
