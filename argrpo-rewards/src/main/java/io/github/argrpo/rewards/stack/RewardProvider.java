package io.github.argrpo.rewards.stack;

import java.util.OptionalDouble;

import io.github.argrpo.core.reward.RewardFunction;

/**
 * Creates one kind of reward from a {@link RewardSpec}; the service-provider interface behind
 * {@link RewardProviders}. Implementations have a public no-argument constructor and are listed in
 * {@code META-INF/services/io.github.argrpo.rewards.stack.RewardProvider}.
 *
 * <pre>{@code
 * public final class SharpnessProvider implements RewardProvider {
 *   public String name() { return "sharpness"; }
 *   public RewardFunction create(RewardSpec spec) {
 *     RewardOptions o = spec.opts().requireOnly(Set.of("tau"));
 *     return o.has("tau") ? SharpnessReward.tanh(o.doubleValue("tau", 0)) : SharpnessReward.raw();
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #create} returns the <em>raw</em> reward: scaling, quantization and weighting are applied by
 * {@link RewardStack} from the spec. It must reject unknown options
 * ({@link RewardOptions#requireOnly}) and bad files with a clear message.
 */
public interface RewardProvider {

  /** The provider name, as written in configs (lower case, digits, '_'). */
  String name();

  /** A new raw reward for {@code spec} (whose {@link RewardSpec#name()} equals {@link #name()}); the caller closes it. */
  RewardFunction create(RewardSpec spec);

  /** The AR-GRPO scale of this reward, used for {@code scale: paper}; by default looked up in {@link PaperScales}. */
  default OptionalDouble paperScale() {
    return PaperScales.of(name());
  }
}
