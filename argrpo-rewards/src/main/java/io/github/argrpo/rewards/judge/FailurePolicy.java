package io.github.argrpo.rewards.judge;

/**
 * What {@link VlmJudgeReward} does with an image whose score could not be obtained: the server failed
 * after every retry, or every reply was unreadable.
 */
public enum FailurePolicy {
  /**
   * Use {@link JudgeConfig#defaultScore()} (0 by default: AR-GRPO's behaviour after 3 failed tries)
   * and count it in {@link JudgeStats} and in the {@code <name>/unreadable} component.
   */
  DEFAULT_SCORE,
  /** Score NaN: a weighted sum skips this part for the sample (TRL's {@code nansum}); counted likewise. */
  NAN,
  /** Throw {@link JudgeException}: the step fails with the reply or the HTTP error in the message. */
  ERROR
}
