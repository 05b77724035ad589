package io.github.argrpo.models.llamagen;

import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.runtime.Autocast;

/**
 * Multi-head self-attention of a LlamaGen block: a fused {@code wqkv} projection split as Q | K | V,
 * 2D RoPE on Q and K (not V), scaled dot-product attention (scale {@code 1/sqrt(head_dim)}; SDPA on CUDA,
 * {@link #explicitAttention} on the CPU),
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
   * {@code softmax(q k^T / sqrt(hd) + mask) v} written out, for the CPU.
   *
   * <p>Why not {@code scaled_dot_product_attention} on the CPU: in libtorch 2.10 (these bindings) its
   * CPU kernel was measured 10x slower than this on GPT-B training shapes (8 x 12 heads x 256
   * tokens: 700 ms against 63 ms in bf16, 265 ms against 45 ms in fp32, and 3.4 s with a boolean
   * mask); for a single unmasked decode query it is the faster one and is used instead. The scores and the softmax are computed in fp32 (q
   * and k are upcast first), as a fused kernel accumulates them; the probabilities are rounded to the
   * value dtype for the second product. Same math, same masking semantics ({@code true} = may attend);
   * CUDA keeps SDPA. On the CPU the KV cache is fp32 (see {@link LlamaGenGpt#newCaches}).
   */
  static Tensor explicitAttention(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, double dropout) {
    long s = q.size(2);
    long keys = k.size(2);
    double scale = 1.0 / Math.sqrt(q.size(3));
    // Contiguous (B, H, S, hd) operands for several queries: the batched matmul on the transposed
    // views was 4-5x slower. A single decode query reads the fp32 cache view as it is (its batch
    // dimensions collapse to one stride, so no copy of the whole cache per step).
    Tensor qf = q.to(ScalarType.Float).contiguous();
    Tensor kf = k.to(ScalarType.Float);
    if (s > 1) {
      kf = kf.contiguous();
    }
    Tensor scores = qf.matmul(kf.transpose(-1, -2)).mul(new Scalar(scale));
    if (mask != null) {
      scores = scores.masked_fill(mask.logical_not(), new Scalar(Double.NEGATIVE_INFINITY));
    } else if (causal && s > 1) {
      // top-left aligned like is_causal: query i sees keys 0..i
      Tensor upper = torch.ones(new long[] {s, keys}, new TensorOptions(ScalarType.Bool)
          .device(new DeviceOptional(q.device()))).triu(1);
      scores = scores.masked_fill(upper, new Scalar(Double.NEGATIVE_INFINITY));
    }
    Tensor probs = torch.softmax(scores, -1);
    if (dropout > 0) {
      probs = torch.dropout(probs, dropout, true);
    }
    // bf16 values: probabilities rounded to bf16 for the second product (as fused kernels do); fp32
    // values (the CPU KV cache): fp32 product. The result has the queries' (the model's) dtype.
    ScalarType out = q.scalar_type().intern();
    Tensor o = probs.to(v.scalar_type().intern()).matmul(v);
    return o.scalar_type().intern() == out ? o : o.to(out);
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
    // Q and K heads share the position tables: rotate them in one call (half the small ops)
    Tensor qk = rope.rotate(qkv.narrow(-1, 0, 2L * dim).view(b, s, 2L * nHead, headDim), start);
    Tensor q = qk.narrow(2, 0, nHead).transpose(1, 2);
    Tensor k = qk.narrow(2, nHead, nHead).transpose(1, 2);
    Tensor v = qkv.narrow(-1, 2L * dim, dim).view(b, s, nHead, headDim).transpose(1, 2);
    if (cache != null) {
      Tensor[] kv = cache.update(start, k, v);
      k = kv[0];
      v = kv[1];
    }
    double dropout = is_training() ? attnDropoutP : 0.0;
    Tensor out;
    if (!q.device().is_cpu()) {
      out = torch.scaled_dot_product_attention(q, k, v, mask == null ? new TensorOptional() : new TensorOptional(mask),
          dropout, mask == null && causal, new DoubleOptional(), false);
    } else if (s == 1 && mask == null && dropout == 0) {
      // One decode query over the fp32 CPU cache: SDPA's kernel is the fastest here (0.63 ms against
      // 1.2 ms written out, GPT-B shapes at 200 keys), computed in fp32.
      // Under bf16 autocast (mixed precision) SDPA would cast its inputs back to bf16, whose single-query CPU
      // kernel reads the cache 3-4x slower (docs/performance.md): keep it in fp32 with autocast off.
      ScalarType dtype = q.scalar_type().intern();
      try (Autocast off = torch.is_autocast_enabled(DeviceType.CPU) ? Autocast.disabled(DeviceType.CPU) : null) {
        out = torch.scaled_dot_product_attention(q.to(ScalarType.Float), k.to(ScalarType.Float),
            v.to(ScalarType.Float), new TensorOptional(), 0.0, false, new DoubleOptional(), false);
      }
      out = dtype == ScalarType.Float ? out : out.to(dtype);
    } else {
      out = explicitAttention(q, k, v, mask, mask == null && causal, dropout);
    }
    Tensor y = torch.linear(out.transpose(1, 2).reshape(b, s, dim), woWeight);
    return residDropoutP > 0 && is_training() ? torch.dropout(y, residDropoutP, true) : y;
  }
}
