package io.github.argrpo.models.llamagen;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The SwiGLU feed-forward of a block: {@code dropout(w2(silu(w1(x)) * w3(x)))}, all three
 * projections bias-free.
 *
 * <p>State-dict keys: {@code w1.weight} (hidden, dim), {@code w3.weight} (hidden, dim),
 * {@code w2.weight} (dim, hidden), registered in the reference's order. Build outside any
 * {@code PointerScope}.
 */
public final class FeedForward extends Module {

  private final LinearImpl w1;
  private final LinearImpl w3;
  private final LinearImpl w2;
  private final Tensor w1Weight;
  private final Tensor w3Weight;
  private final Tensor w2Weight;
  private final double dropoutP;

  /** A feed-forward from {@code dim} through {@code hidden} back to {@code dim}. */
  public FeedForward(long dim, long hidden, double dropoutP) {
    this.w1 = Linears.register(this, "w1", dim, hidden);
    this.w3 = Linears.register(this, "w3", dim, hidden);
    this.w2 = Linears.register(this, "w2", hidden, dim);
    this.w1Weight = Linears.weight(w1);
    this.w3Weight = Linears.weight(w3);
    this.w2Weight = Linears.weight(w2);
    this.dropoutP = dropoutP;
  }

  /** {@code (..., dim) -> (..., dim)}; dropout only in train mode. */
  public Tensor forward(Tensor x) {
    Tensor gate = torch.silu(torch.linear(x, w1Weight));
    Tensor out = torch.linear(gate.mul(torch.linear(x, w3Weight)), w2Weight);
    return dropoutP > 0 && is_training() ? torch.dropout(out, dropoutP, true) : out;
  }
}
