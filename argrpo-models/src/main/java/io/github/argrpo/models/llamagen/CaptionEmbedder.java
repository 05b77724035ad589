package io.github.argrpo.models.llamagen;

import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The t2i condition embedding (the reference's {@code CaptionEmbedder}): 120 text-feature tokens
 * projected by {@code cap_proj} = {@code fc2(gelu_tanh(fc1(x)))}, {@code caption_dim -> dim -> dim},
 * bias-free.
 *
 * <p>{@code uncond_embedding} (120, caption_dim) is the learned unconditional caption. In the reference
 * it is a registered <em>buffer</em> (not a parameter): it is saved in the state dict, cast with the
 * model, and gets no gradient; the same here. In train mode a whole caption is replaced by it with
 * probability {@code uncond_prob} (the padding mask is left unchanged, as in the reference).
 *
 * <p>State-dict keys: {@code uncond_embedding}, {@code cap_proj.fc1.weight} (dim, caption_dim),
 * {@code cap_proj.fc2.weight} (dim, dim). Build outside any {@code PointerScope}.
 */
public final class CaptionEmbedder extends Module {

  private final Tensor uncondEmbedding;
  private final Module capProj;
  private final LinearImpl fc1;
  private final LinearImpl fc2;
  private final Tensor fc1Weight;
  private final Tensor fc2Weight;
  private final double uncondProb;
  private final int tokens;
  private final int captionDim;

  /** A projection of {@code tokens x captionDim} features to {@code dim}. */
  public CaptionEmbedder(int captionDim, int dim, double uncondProb, int tokens) {
    this.tokens = tokens;
    this.captionDim = captionDim;
    this.uncondProb = uncondProb;
    this.capProj = register_module("cap_proj", new Module());
    this.fc1 = Linears.register(capProj, "fc1", captionDim, dim);
    this.fc2 = Linears.register(capProj, "fc2", dim, dim);
    this.fc1Weight = Linears.weight(fc1);
    this.fc2Weight = Linears.weight(fc2);
    this.uncondEmbedding = new Tensor(register_buffer("uncond_embedding",
        torch.randn(tokens, captionDim).div(new Scalar(Math.sqrt(captionDim)))));
  }

  /** {@code (B, tokens, caption_dim)} features to {@code (B, tokens, dim)}; caption dropout in train mode. */
  public Tensor forward(Tensor caption) {
    Tensor x = caption.to(fc1Weight.scalar_type());
    if (is_training() && uncondProb > 0) {
      Tensor drop = torch.rand(new long[] {caption.size(0)},
          new TensorOptions(ScalarType.Float).device(new DeviceOptional(caption.device()))).lt(new Scalar(uncondProb));
      x = torch.where(drop.view(-1, 1, 1), uncondEmbedding.unsqueeze(0), x);
    }
    return torch.linear(torch.gelu(torch.linear(x, fc1Weight), "tanh"), fc2Weight);
  }

  /** The unconditional caption repeated for {@code b} rows, {@code (b, tokens, caption_dim)}, a view. */
  public Tensor unconditional(long b) {
    return uncondEmbedding.unsqueeze(0).expand(b, tokens, captionDim);
  }
}
