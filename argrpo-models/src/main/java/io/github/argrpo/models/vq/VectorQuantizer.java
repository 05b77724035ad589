package io.github.argrpo.models.vq;

import static org.bytedeco.pytorch.global.torch.einsum;

import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.EmbeddingImpl;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.runtime.Scopes;

/**
 * The reference {@code VectorQuantizer} at inference: nearest codebook entry per latent cell, and the
 * lookup of entries by index.
 *
 * <p>Search ({@code forward}), with {@code codebook_l2_norm}:
 *
 * <pre>
 * z  = normalize(z as (B*h*w, D), dim=-1)          F.normalize: x / max(||x||_2, 1e-12)
 * e  = normalize(embedding.weight, dim=-1)
 * d  = sum(z^2, 1, keepdim) + sum(e^2, 1) - 2 * einsum("bd,dn->bn", z, e^T)     (this op order)
 * index = argmin(d, 1)                             ties: the lowest index (argmin's first minimum)
 * quant = z + (e[index] - z).detach()              straight-through estimator, as the reference
 * </pre>
 *
 * <p>The codebook is L2-normalised at lookup time too: the stored weights are not unit-norm. The search
 * and the lookup always run in fp32 on the quantizer's own fp32 weights, whatever the precision of the
 * encoder and decoder, so codes never depend on bf16 rounding of the codebook.
 *
 * <p>State-dict names: {@code embedding.weight (codebookSize, D)}. The reference's training statistic
 * {@code codebook_used} is kept by {@link VqModel} outside the module (see there).
 */
public final class VectorQuantizer extends Module {

  private final EmbeddingImpl embedding;
  private final boolean l2Norm;
  private final int codebookSize;
  private final int embedDim;

  /** A quantizer with {@code config.codebookSize()} entries of {@code config.codebookEmbedDim()}. */
  public VectorQuantizer(VqConfig config) {
    codebookSize = config.codebookSize();
    embedDim = config.codebookEmbedDim();
    l2Norm = config.codebookL2Norm();
    embedding = register_module("embedding", new EmbeddingImpl(codebookSize, embedDim));
    try (NoGradGuard g = new NoGradGuard()) {
      // the reference's init: uniform(-1/n, 1/n)
      embedding.weight().uniform_(-1.0 / codebookSize, 1.0 / codebookSize, new GeneratorOptional());
    }
  }

  /** The raw codebook {@code (codebookSize, D)} fp32 parameter; valid while the model lives. */
  public Tensor codebook() {
    return embedding.weight();
  }

  /** Number of entries. */
  public int codebookSize() {
    return codebookSize;
  }

  /**
   * The codebook as searched and looked up: L2-normalised rows if {@code codebook_l2_norm}, fp32. In the
   * caller's scope.
   */
  public Tensor searchCodebook() {
    Tensor e = embedding.weight().to(ScalarType.Float);
    return l2Norm ? normalize(e) : e;
  }

  /**
   * Quantizes encoder latents {@code z (B, D, h, w)} (any float dtype; computed in fp32). Results are in the
   * caller's scope.
   */
  public VqEncoding quantize(Tensor z) {
    long[] s = z.sizes().vec().get();
    if (s.length != 4 || s[1] != embedDim) {
      throw new IllegalArgumentException("latents must be (B, " + embedDim + ", h, w), got shape "
          + Arrays.toString(s));
    }
    PointerScope outer = Scopes.outer();
    try (PointerScope ignored = new PointerScope()) {
      Tensor zh = z.to(ScalarType.Float).permute(0, 2, 3, 1).contiguous();
      Tensor zf = zh.view(-1, embedDim);
      Tensor e = searchCodebook();
      if (l2Norm) {
        zh = normalize(zh);
        zf = normalize(zf);
      }
      Tensor zz = zf.pow(new Scalar(2)).sum(new long[] {1}, true, new ScalarTypeOptional());
      Tensor ee = e.pow(new Scalar(2)).sum(new long[] {1}, false, new ScalarTypeOptional());
      Tensor ze = einsum("bd,dn->bn", new TensorVector(zf, e.t()));
      Tensor d = zz.add(ee).sub(ze.mul(new Scalar(2)));
      Tensor index = d.argmin(new LongOptional(1), false);
      Tensor zq = e.index_select(0, index).view(zh.sizes());
      zq = zh.add(zq.sub(zh).detach()).permute(0, 3, 1, 2);
      Tensor codes = index.view(s[0], s[2] * s[3]);
      return new VqEncoding(Scopes.handOut(zq, outer), Scopes.handOut(codes, outer), (int) s[2], (int) s[3]);
    }
  }

  /**
   * The reference {@code get_codebook_entry(codes, [B, D, h, w], channel_first=True)}: the (normalised)
   * entries of {@code codes (B, h*w)} as {@code (B, D, h, w)} fp32, contiguous, in the caller's scope.
   * Codes must already be validated (see {@link VqModel#checkCodes}).
   */
  public Tensor lookup(Tensor codes, long h, long w) {
    long b = codes.size(0);
    PointerScope outer = Scopes.outer();
    try (PointerScope ignored = new PointerScope()) {
      Tensor e = searchCodebook();
      Tensor zq = e.index_select(0, codes.reshape(-1).to(ScalarType.Long));
      zq = zq.reshape(b, h, w, embedDim).permute(0, 3, 1, 2).contiguous();
      return Scopes.handOut(zq, outer);
    }
  }

  /** {@code F.normalize(x, p=2, dim=-1)}: {@code x / max(||x||, 1e-12)} along the last dimension. */
  static Tensor normalize(Tensor x) {
    Tensor n = x.norm(new ScalarOptional(new Scalar(2.0)), new long[] {-1}, true);
    return x.div(n.clamp_min(new Scalar(1e-12)).expand_as(x));
  }
}
