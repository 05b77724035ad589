package io.github.argrpo.core.grpo;

/**
 * At which level the importance ratio {@code pi_theta / pi_old} of the clipped surrogate is taken
 * (TRL's {@code importance_sampling_level}).
 */
public enum ImportanceSamplingLevel {
  /** One ratio per token, {@code exp(logp_t - logp_old_t)} (GRPO, PPO; TRL's default). */
  TOKEN,
  /**
   * GSPO: one ratio per sequence, {@code exp(mean_t(logp_t - logp_old_t))} over the sequence's unmasked
   * tokens, broadcast to every token of the sequence (and clipped as a whole).
   */
  SEQUENCE
}
