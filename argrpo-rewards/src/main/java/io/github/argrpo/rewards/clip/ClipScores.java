package io.github.argrpo.rewards.clip;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Feature arithmetic shared by the CLIP and HPS rewards. */
public final class ClipScores {

  private ClipScores() {}

  /**
   * {@code x / ||x||_2} along the last dimension ({@code F.normalize}, eps 1e-12); caller's scope.
   */
  public static Tensor normalize(Tensor x) {
    Tensor norm = torch.linalg_vector_norm(x, new Scalar(2.0), new long[] {-1}, true, new ScalarTypeOptional());
    return x.div(norm.clamp_min(new Scalar(1e-12)));
  }

  /** Row-wise cosine of two {@code [B, D]} feature matrices: {@code [B]}, caller's scope. */
  public static Tensor rowCosine(Tensor a, Tensor b) {
    return torch.sum(normalize(a).mul(normalize(b)), new long[] {-1}, false, new ScalarTypeOptional());
  }
}
