package io.github.argrpo.models.llamagen;

import static com.google.common.base.Preconditions.checkArgument;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * LlamaGen's 2D rotary position embedding ({@code precompute_freqs_cis_2d} and
 * {@code apply_rotary_emb}), exactly.
 *
 * <p>The math, in the reference's words: a head of size {@code hd} is read as {@code hd/2} pairs of
 * <em>adjacent</em> elements {@code (2j, 2j+1)} (interleaved, not the "rotate half" layout). With
 * {@code freqs[k] = 1 / base^(2k / (hd/2))}, {@code k < hd/4}, image token {@code n} at grid row
 * {@code r = n / g} and column {@code c = n % g} rotates pair {@code j < hd/4} by {@code r * freqs[j]}
 * and pair {@code j >= hd/4} by {@code c * freqs[j - hd/4]}. The table is prefixed with
 * {@code cls_token_num} rows of {@code cos = sin = 0}: the queries and keys of condition tokens become
 * exactly zero (LlamaGen issue #54). The checkpoints were trained that way, so it is reproduced, not fixed.
 *
 * <p>Implementation: the pair rotation {@code (x0 c - x1 s, x1 c + x0 s)} is computed as
 * {@code x * C + swap(x) * S} with {@code C = (c, c)} and {@code S = (-s, s)} interleaved; since
 * {@code x1 * (-s) = -(x1 s)} exactly, every element is rounded as in the reference. All of it is fp32,
 * cast back to the input dtype at the end, as the reference does.
 *
 * <p>The tables are plain fields, never registered buffers: {@code Module.to(dtype)} would cast them to
 * bf16 (libtorch notes, section 0 item 7). They are owned by this object until {@link #close()}.
 */
public final class Rope2d implements AutoCloseable {

  private final Tensor cosInterleaved;
  private final Tensor sinSigned;
  private final int headDim;
  private final int positions;
  private boolean closed;

  /**
   * The table for {@code clsTokenNum + grid * grid} positions.
   *
   * @param grid side of the token grid ({@code sqrt(block_size)})
   * @param headDim head size, a multiple of 4
   * @param base the RoPE base ({@code rope_base}, 10000)
   * @param clsTokenNum condition tokens (zero rows)
   * @param device where the tables live
   */
  public Rope2d(int grid, int headDim, double base, int clsTokenNum, Device device) {
    checkArgument(headDim % 4 == 0, "2D RoPE needs head_dim to be a multiple of 4, got %s", headDim);
    this.headDim = headDim;
    this.positions = clsTokenNum + grid * grid;
    try (PointerScope scope = new PointerScope()) {
      Tensor[] cs = cosSin(grid, headDim, base, clsTokenNum);
      Tensor cos = cs[0];
      Tensor sin = cs[1];
      Tensor c = torch.stack(new TensorVector(cos, cos), -1).flatten(1, 2);
      Tensor s = torch.stack(new TensorVector(sin.neg(), sin), -1).flatten(1, 2);
      cosInterleaved = c.to(device, ScalarType.Float).contiguous();
      sinSigned = s.to(device, ScalarType.Float).contiguous();
      cosInterleaved.retainReference();
      sinSigned.retainReference();
    }
  }

  /**
   * The reference table as {@code (cos, sin)}, each {@code (cls + g*g, hd/2)} fp32 on the CPU, in the
   * caller's scope: {@code precompute_freqs_cis_2d(g, hd, base, cls)[..., 0]} and {@code [..., 1]}.
   */
  public static Tensor[] cosSin(int grid, int headDim, double base, int clsTokenNum) {
    int half = headDim / 2;
    int quarter = half / 2;
    // e = arange(0, half, 2)[:half/2].float() / half; freqs = 1 / base^e (fp32, the reference's op order)
    Tensor e = torch.arange(new Scalar(0), new Scalar(half), new Scalar(2)).narrow(0, 0, quarter)
        .to(ScalarType.Float).div(new Scalar(half));
    Tensor freqs = torch.pow(new Scalar(base), e).reciprocal();
    Tensor t = torch.arange(new Scalar(grid));
    Tensor ang = torch.outer(t, freqs); // (g, hd/4): ang[r, k] = r * freqs[k]
    Tensor rows = ang.unsqueeze(1).expand(grid, grid, quarter); // [r, c] -> ang[r]
    Tensor cols = ang.unsqueeze(0).expand(grid, grid, quarter); // [r, c] -> ang[c]
    Tensor cache = torch.cat(new TensorVector(rows, cols), -1).flatten(0, 1); // (g*g, hd/2), raster r*g+c
    Tensor zeros = torch.zeros(new long[] {clsTokenNum, half}, new TensorOptions(ScalarType.Float));
    Tensor cos = torch.cat(new TensorVector(zeros, cache.cos()), 0);
    Tensor sin = torch.cat(new TensorVector(zeros, cache.sin()), 0);
    return new Tensor[] {cos, sin};
  }

  /**
   * Rotates {@code x} {@code (B, S, H, hd)} whose tokens sit at sequence positions
   * {@code start .. start+S-1}; returns a new tensor of {@code x}'s dtype in the caller's scope.
   */
  public Tensor rotate(Tensor x, long start) {
    long b = x.size(0);
    long s = x.size(1);
    long h = x.size(2);
    if (x.size(3) != headDim) {
      throw new IllegalArgumentException("RoPE expects head_dim " + headDim + ", got " + x.size(3));
    }
    checkArgument(start >= 0 && start + s <= positions,
        "RoPE positions %s..%s outside the table of %s positions (cls_token_num + block_size)", start, start + s - 1,
        positions);
    // intern(): the bindings return fresh enum objects, so == needs the canonical constant
    ScalarType dtype = x.scalar_type().intern();
    Tensor xf = dtype == ScalarType.Float ? x : x.to(ScalarType.Float);
    Tensor c = cosInterleaved.narrow(0, start, s).view(1, s, 1, headDim);
    Tensor sn = sinSigned.narrow(0, start, s).view(1, s, 1, headDim);
    Tensor swapped = xf.reshape(b, s, h, headDim / 2, 2).flip(-1).view(b, s, h, headDim);
    Tensor out = xf.mul(c).add(swapped.mul(sn));
    return dtype == ScalarType.Float ? out : out.to(dtype);
  }

  /** Number of positions in the table ({@code cls_token_num + block_size}). */
  public int positions() {
    return positions;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      cosInterleaved.releaseReference();
      sinSigned.releaseReference();
    }
  }
}
