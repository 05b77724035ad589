package io.github.argrpo.core.grpo;

/** How centred rewards are divided before they become advantages (TRL's {@code scale_rewards}). */
public enum AdvantageScaling {
  /** Divide by the std of the sample's own group (GRPO, eq. 3; TRL {@code "group"}; the AR-GRPO code). */
  GROUP,
  /** Divide by the std of the whole batch (PPO-Lite; TRL {@code "batch"}); centring stays per group. */
  BATCH,
  /** Do not divide (Dr. GRPO; TRL {@code "none"}): advantages are the group-centred rewards. */
  NONE
}
