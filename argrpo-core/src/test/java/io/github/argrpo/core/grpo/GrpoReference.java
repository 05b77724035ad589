package io.github.argrpo.core.grpo;

/**
 * The GRPO objective in plain double-precision Java, written independently of the libtorch code from
 * the equations, for comparison on random inputs.
 */
final class GrpoReference {

  private GrpoReference() {}

  /** Per-token loss -min(r A, clip(r) A) + beta k3, and the aggregated scalar. */
  static double loss(double[][] lp, double[][] old, double[][] ref, double[] adv, double[][] mask, double epsLow,
      double epsHigh, double beta, LossAggregation agg) {
    return loss(lp, old, ref, adv, mask, epsLow, epsHigh, beta, agg, false);
  }

  /**
   * As above; with {@code sequenceLevel} the ratio is GSPO's, one per sequence:
   * {@code exp(sum_t m (lp - old) / max(sum_t m, 1))} for every token of the sequence.
   */
  static double loss(double[][] lp, double[][] old, double[][] ref, double[] adv, double[][] mask, double epsLow,
      double epsHigh, double beta, LossAggregation agg, boolean sequenceLevel) {
    int n = lp.length;
    int len = lp[0].length;
    double[][] l = new double[n][len];
    for (int i = 0; i < n; i++) {
      double seqLogRatio = 0;
      double count = 0;
      for (int t = 0; t < len; t++) {
        double w = mask == null ? 1 : mask[i][t];
        seqLogRatio += w * (lp[i][t] - old[i][t]);
        count += w;
      }
      seqLogRatio /= Math.max(count, 1);
      for (int t = 0; t < len; t++) {
        double r = sequenceLevel ? Math.exp(seqLogRatio) : Math.exp(lp[i][t] - old[i][t]);
        double c = Math.min(Math.max(r, 1 - epsLow), 1 + epsHigh);
        double surrogate = -Math.min(r * adv[i], c * adv[i]);
        double kl = 0;
        if (ref != null) {
          double d = ref[i][t] - lp[i][t];
          kl = Math.exp(d) - d - 1;
        }
        l[i][t] = surrogate + beta * kl;
      }
    }
    double total = 0;
    double tokens = 0;
    double seqMeans = 0;
    for (int i = 0; i < n; i++) {
      double s = 0;
      double m = 0;
      for (int t = 0; t < len; t++) {
        double w = mask == null ? 1 : mask[i][t];
        s += l[i][t] * w;
        m += w;
      }
      total += s;
      tokens += m;
      seqMeans += s / Math.max(m, 1);
    }
    switch (agg) {
      case GRPO:
        return seqMeans / n;
      case BNPO:
        return total / Math.max(tokens, 1);
      case DR_GRPO:
        return total / ((double) n * len);
      default:
        throw new AssertionError(agg);
    }
  }
}
