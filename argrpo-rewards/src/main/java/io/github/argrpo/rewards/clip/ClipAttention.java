package io.github.argrpo.rewards.clip;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Multi-head self-attention laid out as {@code nn.MultiheadAttention}: one fused input projection
 * {@code in_proj_weight} {@code [3W, W]} (rows q, k, v) with {@code in_proj_bias}, and {@code out_proj}.
 * Scores are scaled by {@code head_dim^-0.5}; the text tower passes {@code causal = true}, which equals
 * the reference's additive {@code -inf} upper-triangular mask.
 */
final class ClipAttention extends Module {

  private final Tensor inProjWeight;
  private final Tensor inProjBias;
  private final Tensor outWeight;
  private final Tensor outBias;
  private final long heads;
  /** Kept reachable: a Java-side Module peer that is collected breaks libtorch's callbacks into it. */
  private final Module outProj;

  ClipAttention(long width, long heads, ScalarType dtype) {
    this.heads = heads;
    this.inProjWeight = ClipParams.normal(this, "in_proj_weight", dtype, 3 * width, width);
    this.inProjBias = ClipParams.zeros(this, "in_proj_bias", dtype, 3 * width);
    outProj = register_module("out_proj", new Module());
    this.outWeight = ClipParams.normal(outProj, "weight", dtype, width, width);
    this.outBias = ClipParams.zeros(outProj, "bias", dtype, width);
  }

  /**
   * Attention written out for bf16: libtorch 2.10's CPU {@code scaled_dot_product_attention} in bf16 took
   * 0.24-0.34 s per ViT-H-14 layer here (257 tokens, 16 heads), the bf16 matmuls below about 0.01 s.
   * Scores and the weighted sum are bf16 matmuls (through fp32 where {@link Bf16Gemm} says so); the softmax
   * runs in fp32.
   */
  private static Tensor bf16Attention(Tensor q, Tensor k, Tensor v, boolean causal, long headDim) {
    Tensor scores = Bf16Gemm.matmul(q, k.transpose(-2, -1)).mul(new Scalar(1.0 / Math.sqrt(headDim)));
    if (causal) {
      long n = q.size(2);
      Tensor above = torch.ones(new long[] {n, n}, new TensorOptions(ScalarType.Bool)).triu(1);
      scores = scores.masked_fill(above, new Scalar(Double.NEGATIVE_INFINITY));
    }
    Tensor p = torch.softmax(scores, -1, new ScalarTypeOptional(ScalarType.Float)).to(ScalarType.BFloat16);
    return Bf16Gemm.matmul(p, v);
  }

  /** {@code x}: {@code [B, N, W]}; returns {@code [B, N, W]}. */
  Tensor forward(Tensor x, boolean causal) {
    long b = x.size(0);
    long n = x.size(1);
    long w = x.size(2);
    long hd = w / heads;
    TensorVector qkv = Bf16Gemm.linear(x, inProjWeight, inProjBias).chunk(3, -1);
    Tensor q = qkv.get(0).reshape(b, n, heads, hd).transpose(1, 2);
    Tensor k = qkv.get(1).reshape(b, n, heads, hd).transpose(1, 2);
    Tensor v = qkv.get(2).reshape(b, n, heads, hd).transpose(1, 2);
    Tensor o = q.scalar_type().value == ScalarType.BFloat16.value ? bf16Attention(q, k, v, causal, hd)
        : torch.scaled_dot_product_attention(q, k, v, new TensorOptional(), 0.0, causal, new DoubleOptional(), false);
    return Bf16Gemm.linear(o.transpose(1, 2).reshape(b, n, w), outWeight, outBias);
  }
}
