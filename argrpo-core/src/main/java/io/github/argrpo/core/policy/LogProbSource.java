package io.github.argrpo.core.policy;

/**
 * Which distribution the GRPO ratio and KL are computed under. The paper leaves this implicit; the
 * two choices differ whenever sampling used classifier-free guidance.
 */
public enum LogProbSource {
  /**
   * The conditional branch alone, at temperature {@code T}: {@code log_softmax(cond / T)}. This is what
   * the AR-GRPO code trains with (its model forward defaults to {@code cfg_scale = 1}), although the
   * tokens were sampled from the guided distribution. The null-class / uncond embedding gets no gradient.
   */
  CONDITIONAL,
  /**
   * The classifier-free-guided distribution that sampled the tokens:
   * {@code log_softmax((uncond + (cond - uncond) * s) / T)} with the unconditional branch detached, so the
   * gradient flows through the conditional branch only (scaled by {@code s}).
   */
  GUIDED
}
