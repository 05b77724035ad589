package io.github.argrpo.models.llamagen;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * Multi-head self-attention of a LlamaGen block: a fused {@code wqkv} projection split as Q | K | V,
 * 2D RoPE on Q and K (not V), {@code scaled_dot_product_attention} (scale {@code 1/sqrt(head_dim)}),
 * then {@code wo} and the residual dropout.
 *
 * <p>State-dict keys: {@code wqkv.weight} (3 dim, dim), {@code wo.weight} (dim, dim). No GQA: every
 * released config has {@code n_kv_head = n_head}. Build outside any {@code PointerScope}.
 */
public final class Attention extends Module {

  private final LinearImpl wqkv;
  private final LinearImpl wo;
  private final Tensor wqkvWeight;
  private final Tensor woWeight;
  private final int dim;
  private final int nHead;
  private final int headDim;
  private final double attnDropoutP;
  private final double residDropoutP;

  /** Attention over {@code dim} features in {@code nHead} heads. */
  public Attention(int dim, int nHead, double attnDropoutP, double residDropoutP) {
    this.dim = dim;
    this.nHead = nHead;
    this.headDim = dim / nHead;
    this.wqkv = Linears.register(this, "wqkv", dim, 3L * dim);
    this.wo = Linears.register(this, "wo", dim, dim);
    this.wqkvWeight = Linears.weight(wqkv);
    this.woWeight = Linears.weight(wo);
    this.attnDropoutP = attnDropoutP;
    this.residDropoutP = residDropoutP;
  }

  /**
   * Attends {@code x} {@code (B, S, dim)}, whose tokens sit at positions {@code start .. start+S-1}.
   *
   * @param rope the model's rotary table
   * @param mask {@code null}, or a bool mask broadcastable to {@code (B, 1, S, K)}, {@code true} = may
   *     attend, where {@code K} is the number of keys (S, or {@code start+S} with a cache)
   * @param causal with no mask: whether query {@code i} sees keys {@code <= i} only (needs
   *     {@code K == S}: libtorch aligns {@code is_causal} top-left)
   * @param cache {@code null} for a plain forward, else the layer's cache, which receives this call's
   *     keys and values and supplies the earlier ones
   * @return {@code (B, S, dim)} in the caller's scope
   */
  public Tensor forward(Tensor x, Rope2d rope, long start, Tensor mask, boolean causal, KvCache cache) {
    long b = x.size(0);
    long s = x.size(1);
    Tensor qkv = torch.linear(x, wqkvWeight);
    Tensor q = rope.rotate(qkv.narrow(-1, 0, dim).view(b, s, nHead, headDim), start).transpose(1, 2);
    Tensor k = rope.rotate(qkv.narrow(-1, dim, dim).view(b, s, nHead, headDim), start).transpose(1, 2);
    Tensor v = qkv.narrow(-1, 2L * dim, dim).view(b, s, nHead, headDim).transpose(1, 2);
    if (cache != null) {
      Tensor[] kv = cache.update(start, k, v);
      k = kv[0];
      v = kv[1];
    }
    double dropout = is_training() ? attnDropoutP : 0.0;
    Tensor out = torch.scaled_dot_product_attention(q, k, v,
        mask == null ? new TensorOptional() : new TensorOptional(mask), dropout, mask == null && causal,
        new DoubleOptional(), false);
    Tensor y = torch.linear(out.transpose(1, 2).reshape(b, s, dim), woWeight);
    return residDropoutP > 0 && is_training() ? torch.dropout(y, residDropoutP, true) : y;
  }
}
