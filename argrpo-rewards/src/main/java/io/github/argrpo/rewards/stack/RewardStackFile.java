package io.github.argrpo.rewards.stack;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The YAML file of a reward stack: one key, {@code rewards}, a list of {@link RewardSpec} entries (the
 * same list a run config holds under its {@code rewards} key).
 *
 * @param rewards the parts of the sum, in order, at least one
 */
public record RewardStackFile(
    @JsonProperty("rewards") @JsonPropertyDescription("the parts of the reward sum (docs/rewards.md)")
    List<RewardSpec> rewards) {

  public RewardStackFile {
    checkArgument(rewards != null && !rewards.isEmpty(), "'rewards' must be a non-empty list of rewards, "
        + "e.g. rewards: [{name: sharpness}]");
    rewards = List.copyOf(rewards);
  }
}
