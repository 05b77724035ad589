package io.github.argrpo.rewards.stack;

import io.github.argrpo.rewards.judge.JudgeQuestion;

/** {@code vlm_judge_quality}: the {@link JudgeQuestion#QUALITY} judge; options as {@link VlmJudgeProvider}. */
public final class VlmJudgeQualityProvider extends VlmJudgeProvider {

  /** The {@link JudgeQuestion#QUALITY} provider. */
  public VlmJudgeQualityProvider() {
    super(JudgeQuestion.QUALITY);
  }
}
