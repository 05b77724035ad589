/**
 * Reward composition as configuration: {@link io.github.argrpo.rewards.stack.RewardSpec} (one line of
 * a reward stack: name, weight, scale, quantization, options), {@link io.github.argrpo.rewards.stack.RewardProvider}
 * (the SPI, one class per reward, found through {@code META-INF/services}),
 * {@link io.github.argrpo.rewards.stack.RewardProviders} (the providers by name) and
 * {@link io.github.argrpo.rewards.stack.RewardStack}, which builds AR-GRPO's composed reward (Appendix D)
 * from specs or YAML. The YAML format is documented in {@code docs/rewards.md}.
 */
package io.github.argrpo.rewards.stack;
