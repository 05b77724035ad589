package io.github.argrpo.rewards.torchscript;

/**
 * When {@link ManiqaReward} draws new crop windows.
 *
 * <p>The reference draws fresh crops for every image (global {@code np.random}). Windows fixed for a whole
 * run leave part of every image unscored (5-23% of a 384-pixel image with 20 windows, 13% on average over
 * seeds), which a policy can learn to exploit, so the default draws anew on every call.
 */
public enum CropDraw {

  /**
   * New windows on every call, shared by all images of the call (default): over a run every region is
   * scored, while the images of a GRPO group, scored in one call, are still judged on the same regions,
   * so crop noise does not enter their advantages.
   */
  PER_CALL,

  /** New windows for every image of every call: the reference's draw, with its within-group noise. */
  PER_IMAGE,

  /**
   * The same windows on every call, from the seed alone: a reward that is a fixed function of the image,
   * for evaluation. Not for training (the regions never scored can be exploited).
   */
  FIXED
}
