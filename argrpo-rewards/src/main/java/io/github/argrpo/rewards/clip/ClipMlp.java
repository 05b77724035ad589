package io.github.argrpo.rewards.clip;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** The block MLP: {@code c_fc} (W to hidden), activation, {@code c_proj} (hidden to W). */
final class ClipMlp extends Module {

  private final Tensor fcWeight;
  private final Tensor fcBias;
  private final Tensor projWeight;
  private final Tensor projBias;
  private final ClipActivation activation;
  /** Kept reachable: a Java-side Module peer that is collected breaks libtorch's callbacks into it. */
  private final Module fc;
  private final Module proj;

  ClipMlp(long width, long hidden, ClipActivation activation, ScalarType dtype) {
    this.activation = activation;
    fc = register_module("c_fc", new Module());
    this.fcWeight = ClipParams.normal(fc, "weight", dtype, hidden, width);
    this.fcBias = ClipParams.zeros(fc, "bias", dtype, hidden);
    proj = register_module("c_proj", new Module());
    this.projWeight = ClipParams.normal(proj, "weight", dtype, width, hidden);
    this.projBias = ClipParams.zeros(proj, "bias", dtype, width);
  }

  Tensor forward(Tensor x) {
    Tensor h = activation.apply(Bf16Gemm.linear(x, fcWeight, fcBias));
    return Bf16Gemm.linear(h, projWeight, projBias);
  }
}
