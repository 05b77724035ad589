package io.github.argrpo.rewards.clip;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** The MLP activation of a CLIP tower. */
public enum ClipActivation {
  /** {@code x * sigmoid(1.702 x)}: every OpenAI CLIP checkpoint (ViT-B/32, ViT-L/14). */
  QUICK_GELU,
  /** Exact (erf) GELU, {@code nn.GELU()}: open_clip ViT-H-14 (HPSv2, PickScore). */
  GELU;

  /** Applies the activation; the result lives in the caller's scope. */
  Tensor apply(Tensor x) {
    if (this == QUICK_GELU) {
      return x.mul(torch.sigmoid(x.mul(new Scalar(1.702))));
    }
    return torch.gelu(x);
  }
}
