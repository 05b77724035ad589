package io.github.argrpo.core.grpo;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Group-relative advantages, eq. 3 of AR-GRPO: for the G samples of one condition with rewards
 * {@code r_1..r_G}, {@code A_i = (r_i - mean(r)) / (std(r) + eps)}.
 *
 * <p>Computed in double precision in plain Java: rewards are a few hundred numbers, and doing it here
 * keeps the input checks (group size, whole groups, finite rewards) next to the formula. Samples are
 * laid out group by group: group {@code g} is {@code rewards[g*G .. (g+1)*G - 1]}.
 */
public final class GroupAdvantages {

  private GroupAdvantages() {}

  /**
   * The advantages of {@code rewards}.
   *
   * @throws IllegalArgumentException if {@code groupSize < 2}, the batch is not a whole number of groups,
   *     or a reward is NaN or infinite (the message names the sample and its group)
   */
  public static double[] compute(double[] rewards, int groupSize, AdvantageConfig config) {
    validate(rewards, groupSize);
    int n = rewards.length;
    double[] adv = new double[n];
    double batchStd = config.scaling() == AdvantageScaling.BATCH ? std(rewards, 0, n, config.unbiasedStd()) : 0;
    for (int g = 0; g < n; g += groupSize) {
      if (allEqual(rewards, g, groupSize)) {
        // zero spread: zero advantages. Tested for explicitly because the floating-point mean of equal
        // values need not equal them (3 * v / 3 != v), which would leave rounding noise divided by eps.
        continue;
      }
      double mean = mean(rewards, g, groupSize);
      double denom = switch (config.scaling()) {
        case GROUP -> std(rewards, g, groupSize, config.unbiasedStd()) + config.epsilon();
        case BATCH -> batchStd + config.epsilon();
        case NONE -> 1.0;
      };
      for (int i = g; i < g + groupSize; i++) {
        double centred = rewards[i] - mean;
        // BATCH with a zero batch std and eps = 0 would divide 0 by 0: a zero deviation stays zero.
        adv[i] = centred == 0 ? 0.0 : centred / denom;
      }
    }
    return adv;
  }

  /** Fraction of groups whose rewards are all equal (zero spread, so zero advantages). */
  public static double zeroStdFraction(double[] rewards, int groupSize) {
    validate(rewards, groupSize);
    int groups = rewards.length / groupSize;
    int zero = 0;
    for (int g = 0; g < rewards.length; g += groupSize) {
      zero += allEqual(rewards, g, groupSize) ? 1 : 0;
    }
    return (double) zero / groups;
  }

  /** The input checks of {@link #compute}. */
  public static void validate(double[] rewards, int groupSize) {
    checkArgument(groupSize >= 2,
        "groupSize must be >= 2 (advantages compare samples within a group), got %s", groupSize);
    checkArgument(rewards.length != 0 && rewards.length % groupSize == 0,
        "the batch must be a whole number of groups: %s rewards for groups of %s", rewards.length, groupSize);
    for (int i = 0; i < rewards.length; i++) {
      checkArgument(Double.isFinite(rewards[i]),
          "reward of sample %s (group %s, member %s) is %s; every reward must be finite", i, i / groupSize,
          i % groupSize, rewards[i]);
    }
  }

  private static boolean allEqual(double[] x, int from, int len) {
    for (int i = from + 1; i < from + len; i++) {
      if (x[i] != x[from]) {
        return false;
      }
    }
    return true;
  }

  /** Mean of {@code x[from .. from + len - 1]}. */
  public static double mean(double[] x, int from, int len) {
    double s = 0;
    for (int i = from; i < from + len; i++) {
      s += x[i];
    }
    return s / len;
  }

  /**
   * Std of {@code x[from .. from + len - 1]}, unbiased (divisor {@code len - 1}) or population; 0 for a
   * single value. Two-pass, numerically stable for large offsets (the invariance property exercises it).
   */
  public static double std(double[] x, int from, int len, boolean unbiased) {
    double m = mean(x, from, len);
    double ss = 0;
    for (int i = from; i < from + len; i++) {
      double d = x[i] - m;
      ss += d * d;
    }
    int div = unbiased ? len - 1 : len;
    return div <= 0 ? 0.0 : Math.sqrt(ss / div);
  }
}
