package io.github.argrpo.models.llamagen;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * One seeded CPU random generator per sampled row, so that a sample depends only on its own seed and
 * never on the other rows of the batch.
 *
 * <p>Why: {@code torch.multinomial(probs, 1, gen)} on a {@code (B, V)} batch draws one {@code (B, V)}
 * block of exponential noise from a single generator, so row {@code r}'s noise depends on how many rows
 * came before it. Here every row owns a generator seeded with {@link #rowSeed(long, long, long)} of
 * (sampling seed, group index, index in the group), and a token is drawn with the same
 * exponential-race algorithm libtorch's multinomial uses for one sample,
 * {@code argmax(p / q)} with {@code q ~ Exp(1)} drawn by {@code exponential_}: for a one-row batch it
 * is the very draw of {@code torch.multinomial(probs, 1, generator)}. The noise is drawn on the CPU
 * and copied to the model's device, so a seed gives the same tokens on every device up to the
 * probabilities themselves.
 *
 * <p>Ownership: the generators belong to the {@code PointerScope} open at construction (a sampling
 * call's outer scope).
 */
public final class RowGenerators {

  private final Generator[] generators;

  /** One generator per seed. */
  public RowGenerators(long[] seeds) {
    generators = new Generator[seeds.length];
    for (int i = 0; i < seeds.length; i++) {
      generators[i] = torch.make_generator_cpu(seeds[i]);
    }
  }

  /** Generators for {@code groups x groupSize} rows laid out group by group. */
  public static RowGenerators forGroups(long seed, int groups, int groupSize) {
    long[] seeds = new long[groups * groupSize];
    for (int g = 0; g < groups; g++) {
      for (int m = 0; m < groupSize; m++) {
        seeds[g * groupSize + m] = rowSeed(seed, g, m);
      }
    }
    return new RowGenerators(seeds);
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
    return generators.length;
  }

  /**
   * Fills row {@code r} of {@code noise} {@code (rows, V)} (float, CPU) with {@code Exp(1)} draws from
   * generator {@code r}, in place.
   */
  public void fillExponential(Tensor noise) {
    if (noise.size(0) != generators.length) {
      throw new IllegalArgumentException("noise has " + noise.size(0) + " rows, expected " + generators.length);
    }
    for (int r = 0; r < generators.length; r++) {
      noise.select(0, r).exponential_(1.0, new GeneratorOptional(generators[r]));
    }
  }
}
