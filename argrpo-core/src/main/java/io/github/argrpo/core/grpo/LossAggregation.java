package io.github.argrpo.core.grpo;

import java.util.Locale;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * How per-token losses {@code l_{i,t}} (with a 0/1 mask {@code m_{i,t}}) become one scalar, TRL's
 * {@code loss_type}. With fixed-length image sequences and no mask all three are equal up to a
 * constant; they differ once tokens are masked (for example by a top-entropy filter).
 */
public enum LossAggregation {
  /**
   * AR-GRPO eq. 4: mean over the tokens of each sequence, then mean over sequences:
   * {@code (1/N) sum_i (sum_t l m / sum_t m)}.
   */
  GRPO,
  /** Token mean over the batch (TRL 0.19's default, what the AR-GRPO code ran): {@code sum l m / sum m}. */
  BNPO,
  /** Dr. GRPO: sum over a constant, {@code sum l m / (N * L_max)}, no length bias. */
  DR_GRPO;

  /**
   * This micro-batch's share of the loss of a larger optimisation batch, so that micro-batches with
   * gradient accumulation sum to the loss of the whole batch.
   *
   * @param perToken {@code (n, L)} per-token losses
   * @param mask {@code (n, L)} float 0/1 mask, or null for all ones
   * @param batchSequences number of sequences {@code N} in the whole optimisation batch
   * @param batchTokens number of unmasked tokens in the whole optimisation batch
   * @param maxLength {@code L_max}, the fixed sequence length (for {@link #DR_GRPO})
   */
  public Tensor aggregate(Tensor perToken, Tensor mask, long batchSequences, double batchTokens, long maxLength) {
    Tensor masked = mask == null ? perToken : perToken.mul(mask);
    switch (this) {
      case GRPO: {
        Tensor perSeqSum = masked.sum(new long[] {1}, false, new ScalarTypeOptional());
        Tensor perSeqCount = mask == null
            ? torch.full_like(perSeqSum, new Scalar((double) perToken.size(1)))
            : mask.sum(new long[] {1}, false, new ScalarTypeOptional()).to(perSeqSum.scalar_type());
        return perSeqSum.div(perSeqCount.clamp_min(new Scalar(1.0))).sum().div(new Scalar((double) batchSequences));
      }
      case BNPO:
        return masked.sum().div(new Scalar(Math.max(batchTokens, 1.0)));
      case DR_GRPO:
        return masked.sum().div(new Scalar((double) batchSequences * maxLength));
      default:
        throw new AssertionError(this);
    }
  }

  /** Parses {@code grpo}, {@code bnpo} or {@code dr_grpo} (case-insensitive). */
  public static LossAggregation parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown loss aggregation '" + s + "': use grpo, bnpo or dr_grpo", e);
    }
  }
}
