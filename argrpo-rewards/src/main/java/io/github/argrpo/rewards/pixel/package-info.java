/**
 * Weight-free image rewards computed in plain Java: {@link io.github.argrpo.rewards.pixel.SharpnessReward}
 * (variance of the Laplacian), {@link io.github.argrpo.rewards.pixel.ColorfulnessReward} (Hasler and
 * Suesstrunk 2003) and {@link io.github.argrpo.rewards.pixel.JpegCompressibilityReward} (the DDPO demo
 * reward).
 *
 * <p>None of them is part of AR-GRPO's reward set; they are the CPU demo defaults of reference notes
 * {@code rewards.md} section 8, need no download, and are deterministic. All three are easy to hack on
 * purpose (noise raises sharpness, flat images compress well, rainbows are colourful), which is what
 * makes a learning curve visible in a demo.
 */
package io.github.argrpo.rewards.pixel;
