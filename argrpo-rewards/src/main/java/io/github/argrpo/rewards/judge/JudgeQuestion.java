package io.github.argrpo.rewards.judge;

/**
 * The three questions AR-GRPO asks its VLM judge, in the order of the prompts file.
 *
 * <p>Raw score ranges: {@link #QUALITY} 0..5 (five 0-1 sub-scores summed, floats allowed);
 * {@link #FAKE} and {@link #WEIRD} 0 or 1 (1 = "not AI-generated" / "nothing strange"). The paper
 * divides every judge score by 4 ({@link #PAPER_SCALE}); {@link VlmJudgeReward} returns raw scores and
 * leaves the scaling to the composition ({@code Rewards.scaled} or a {@code RewardSpec} scale).
 */
public enum JudgeQuestion {

  /** Label/quality judge ({@code qwenvl_3b}, {@code qwenvl_3b_text}): the generation prompt is inserted. */
  QUALITY("vlm_judge_quality", 5.0, true),
  /** "Is the image AI-generated? yes -> 0" ({@code qwenvl_fake}). */
  FAKE("vlm_judge_fake", 1.0, false),
  /** "Any strange feature? yes -> 0" ({@code qwenvl_weird}). */
  WEIRD("vlm_judge_weird", 1.0, false);

  /** AR-GRPO's {@code score / 4}. */
  public static final double PAPER_SCALE = 0.25;

  private final String rewardName;
  private final double maxScore;
  private final boolean usesSubject;

  JudgeQuestion(String rewardName, double maxScore, boolean usesSubject) {
    this.rewardName = rewardName;
    this.maxScore = maxScore;
    this.usesSubject = usesSubject;
  }

  /** The reward and provider name, e.g. {@code vlm_judge_quality}. */
  public String rewardName() {
    return rewardName;
  }

  /** The largest valid raw score (the smallest is 0); replies outside count as unreadable. */
  public double maxScore() {
    return maxScore;
  }

  /** Whether the prompt embeds the generation prompt or class name. */
  public boolean usesSubject() {
    return usesSubject;
  }
}
