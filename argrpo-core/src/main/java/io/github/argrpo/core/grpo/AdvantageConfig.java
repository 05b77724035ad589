package io.github.argrpo.core.grpo;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Options of the group advantage (eq. 3 of AR-GRPO): {@code A_i = (r_i - mean_G) / (std + eps)}.
 *
 * <p>Default ({@link #trl()}): per-group std, unbiased (divisor {@code G - 1}, what {@code torch.std}
 * computes and what TRL and the AR-GRPO code use), {@code eps = 1e-4}. The small eps keeps a group whose
 * rewards barely differ from producing huge advantages while still normalising ordinary groups to unit
 * scale; a group of exactly equal rewards gives zero advantages, never NaN.
 *
 * @param scaling group std, batch std, or none (Dr. GRPO)
 * @param unbiasedStd {@code true}: divisor {@code n - 1} (TRL); {@code false}: population std (divisor {@code n})
 * @param epsilon added to the std, {@code >= 0} (TRL: 1e-4)
 */
public record AdvantageConfig(
    @JsonProperty("scale_rewards") @JsonPropertyDescription("divide centred rewards by the group std (the paper), the "
        + "batch std (PPO-Lite) or none (Dr. GRPO)")
    AdvantageScaling scaling,
    @JsonProperty("unbiased_std") @JsonPropertyDescription("std divisor n - 1 (torch.std, TRL, the AR-GRPO code); false: n")
    boolean unbiasedStd,
    @JsonProperty("advantage_epsilon") @JsonPropertyDescription("added to the std (TRL: 1e-4), >= 0")
    double epsilon) {

  public AdvantageConfig {
    checkArgument(scaling != null, "advantage scaling must not be null");
    checkArgument(epsilon >= 0 && Double.isFinite(epsilon), "advantage epsilon must be finite and >= 0, got %s", epsilon);
  }

  /** TRL / AR-GRPO: group std, unbiased, eps 1e-4. */
  public static AdvantageConfig trl() {
    return new AdvantageConfig(AdvantageScaling.GROUP, true, 1e-4);
  }

  /** Dr. GRPO: centred rewards without std division. */
  public static AdvantageConfig drGrpo() {
    return new AdvantageConfig(AdvantageScaling.NONE, true, 1e-4);
  }
}
