package io.github.argrpo.models.llamagen;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DimnameListOptional;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.StringViewOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Per-row randomness for sampling: every row of a batch owns a seeded generator, so a sample depends
 * only on its own seed and never on the other rows.
 *
 * <p>Why: {@code torch.multinomial(probs, 1, gen)} on a {@code (B, V)} batch draws one {@code (B, V)}
 * block of exponential noise from a single generator (the reference's sampler: {@code argmax(p / q)},
 * {@code q ~ Exp(1)}), so row {@code r}'s draw depends on how many rows came before it. Here row
 * {@code r} (member {@code m} of group {@code g}) gets a CPU generator seeded with
 * {@link #rowSeed(long, long, long)}{@code (seed, g, m)}, which draws the row's {@code steps} uniforms
 * {@code u_t} up front, and token {@code t} is drawn by inverse-CDF sampling: the first token whose
 * cumulative probability exceeds {@code u_t} times the total (cumulative sums in fp64). That is an exact
 * draw from the categorical distribution with one random number per token instead of V exponentials
 * per token: {@code exponential_} costs ~0.5 ms per 16384-code row on this CPU, the inverse CDF
 * ~0.02 ms. The uniforms are drawn on the CPU, so a seed gives the same tokens on every device up to
 * the probabilities themselves.
 *
 * <p>Ownership: the uniform table belongs to the {@code PointerScope} open at construction (a
 * sampling call's outer scope).
 */
public final class RowGenerators {

  private final Tensor uniforms;
  private final int rows;
  private final int steps;

  /**
   * Draws {@code steps} uniforms in [0, 1) for each seed and keeps them on {@code device}.
   *
   * @param seeds one seed per row
   */
  public RowGenerators(long[] seeds, int steps, Device device) {
    this.rows = seeds.length;
    this.steps = steps;
    TensorOptions doubles = new TensorOptions(ScalarType.Double);
    Tensor table = torch.empty(new long[] {rows, steps}, doubles, new MemoryFormatOptional());
    for (int r = 0; r < rows; r++) {
      // a fresh generator per row: its stream is a function of the row's seed alone
      table.select(0, r).copy_(torch.rand(new long[] {steps},
          new GeneratorOptional(torch.make_generator_cpu(seeds[r])), new DimnameListOptional(), doubles));
    }
    this.uniforms = device.is_cpu() ? table : table.to(device, ScalarType.Double);
  }

  /** Generators for {@code groups x groupSize} rows laid out group by group. */
  public static RowGenerators forGroups(long seed, int groups, int groupSize, int steps, Device device) {
    long[] seeds = new long[groups * groupSize];
    for (int g = 0; g < groups; g++) {
      for (int m = 0; m < groupSize; m++) {
        seeds[g * groupSize + m] = rowSeed(seed, g, m);
      }
    }
    return new RowGenerators(seeds, steps, device);
  }

  /**
   * The seed of member {@code member} of group {@code group}: SplitMix64 finalisers chained over the
   * three numbers, so neighbouring seeds, groups and members give unrelated streams. Non-negative
   * (libtorch seeds are unsigned 64-bit; a non-negative long reads the same either way).
   */
  public static long rowSeed(long seed, long group, long member) {
    long h = mix(seed ^ 0x243F6A8885A308D3L);
    h = mix(h ^ (group * 0x9E3779B97F4A7C15L + 0x13198A2E03707344L));
    h = mix(h ^ (member * 0xC2B2AE3D27D4EB4FL + 0xA4093822299F31D0L));
    return h & Long.MAX_VALUE;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Number of rows. */
  public int rows() {
    return rows;
  }

  /**
   * Draws one token per row from {@code probs} {@code (rows, V)} (non-negative, any positive total),
   * using the row's uniform of step {@code step}: {@code (rows, 1)} int64 on {@code probs}' device, in
   * the caller's scope. Tokens of probability zero are never drawn.
   */
  public Tensor draw(Tensor probs, int step) {
    if (probs.size(0) != rows || step < 0 || step >= steps) {
      throw new IllegalArgumentException("draw: expected " + rows + " rows and a step in [0, " + steps + "), got "
          + probs.size(0) + " rows, step " + step);
    }
    long v = probs.size(1);
    Tensor cum = probs.to(ScalarType.Double).cumsum(-1);
    Tensor target = uniforms.narrow(1, step, 1).mul(cum.narrow(1, v - 1, 1));
    // first index whose cumulative mass exceeds the target (right=true skips zero-probability tokens)
    Tensor idx = torch.searchsorted(cum, target, false, true, new StringViewOptional(), new TensorOptional());
    return idx.clamp_max(new Scalar(v - 1));
  }
}
