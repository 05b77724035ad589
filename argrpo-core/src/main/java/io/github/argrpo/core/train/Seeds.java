package io.github.argrpo.core.train;

/**
 * Derives independent seeds from a run seed and indices (step, rank, chunk) with SplitMix64
 * finalisation, so that every random choice of step {@code k} is a pure function of
 * {@code (seed, k, ...)}: what makes a resumed run repeat the uninterrupted one.
 */
public final class Seeds {

  private Seeds() {}

  /** A well-mixed seed for {@code (base, indices...)}. */
  public static long derive(long base, long... indices) {
    long h = mix(base ^ 0x9E3779B97F4A7C15L);
    for (long i : indices) {
      h = mix(h ^ mix(i + 0x632BE59BD9B4E019L));
    }
    return h;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
