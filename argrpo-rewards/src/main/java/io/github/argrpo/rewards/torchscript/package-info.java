/**
 * Rewards computed by TorchScript models exported once from Python (route (b) of reference notes
 * {@code rewards.md}): {@link io.github.argrpo.rewards.torchscript.TorchScriptModel} (loading and the
 * forward call), {@link io.github.argrpo.rewards.torchscript.ImagePreprocessing} (8-bit truncation,
 * resize, normalization), {@link io.github.argrpo.rewards.torchscript.TorchScriptReward} (any scorer that
 * maps {@code (B, 3, H, W)} to one value per image) and
 * {@link io.github.argrpo.rewards.torchscript.ManiqaReward} (MANIQA's 20-crop protocol, seeded, with new
 * windows every call: {@link io.github.argrpo.rewards.torchscript.CropDraw}).
 * How to export MANIQA: {@code docs/maniqa-torchscript.md}.
 */
package io.github.argrpo.rewards.torchscript;
