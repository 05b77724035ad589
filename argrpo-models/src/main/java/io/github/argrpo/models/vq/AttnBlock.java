package io.github.argrpo.models.vq;

import static org.bytedeco.pytorch.global.torch.softmax;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.MemoryFormat;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.runtime.Scopes;

/**
 * The reference {@code AttnBlock(C)}: single-head, non-causal self-attention over all spatial positions,
 * with 1x1-convolution projections and a residual connection.
 *
 * <pre>
 * h = norm(x); q, k, v = q(h), k(h), v(h)          (B, C, H, W)
 * w = bmm(q as (B, HW, C), k as (B, C, HW)) * C^-0.5   scale applied AFTER the bmm, as the reference
 * w = softmax(w, dim=2)
 * h = bmm(v as (B, C, HW), w^T) as (B, C, H, W)
 * return x + proj_out(h)
 * </pre>
 *
 * <p>The op order is the reference's (not {@code scaled_dot_product_attention}) so fp32 results match it
 * to rounding. In bf16 the softmax is computed in fp32 and rounded back once.
 *
 * <p>State-dict names: {@code norm, q, k, v, proj_out}, each {@code .weight/.bias}.
 */
public final class AttnBlock extends Module {

  private final Normalize norm;
  private final Conv2dImpl q;
  private final Conv2dImpl k;
  private final Conv2dImpl v;
  private final Conv2dImpl projOut;
  private final double scale;

  /** An attention block over {@code channels} channels. */
  public AttnBlock(long channels, VqConfig config) {
    norm = register_module("norm", new Normalize(channels, config.normGroups(), config.normEps()));
    q = register_module("q", Convs.conv1x1(channels, channels));
    k = register_module("k", Convs.conv1x1(channels, channels));
    v = register_module("v", Convs.conv1x1(channels, channels));
    projOut = register_module("proj_out", Convs.conv1x1(channels, channels));
    // Python's int(c) ** (-0.5) is a double; the tensor op rounds it to the tensor's dtype, as libtorch does.
    scale = Math.pow(channels, -0.5);
  }

  /** Applies the block to {@code x (B, C, H, W)}; the result is in the caller's scope. */
  public Tensor forward(Tensor x) {
    PointerScope outer = Scopes.outer();
    try (PointerScope ignored = new PointerScope()) {
      long[] s = x.sizes().vec().get();
      long b = s[0];
      long c = s[1];
      long hw = s[2] * s[3];
      Tensor h = norm.forward(x);
      Tensor qh = q.forward(h).reshape(b, c, hw).permute(0, 2, 1);
      Tensor kh = k.forward(h).reshape(b, c, hw);
      Tensor vh = v.forward(h).reshape(b, c, hw);
      Tensor w = Bf16Compute.bmm16(qh, kh).mul(new Scalar(scale));
      if (Dtypes.is(w, ScalarType.Float)) {
        w = softmax(w, 2);
      } else {
        w = softmax(w, 2, new ScalarTypeOptional(ScalarType.Float)).to(Dtypes.of(w));
      }
      Tensor out = Bf16Compute.bmm16(vh, w.permute(0, 2, 1)).reshape(b, c, s[2], s[3]);
      if (x.is_contiguous(MemoryFormat.ChannelsLast)) {
        // the bmm result is NCHW; keep the caller's channels-last layout for proj_out and every later block
        out = out.contiguous(MemoryFormat.ChannelsLast);
      }
      return Scopes.handOut(projOut.forward(out).add_(x), outer);
    }
  }
}
