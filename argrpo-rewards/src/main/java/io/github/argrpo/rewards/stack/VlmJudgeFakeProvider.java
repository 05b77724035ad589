package io.github.argrpo.rewards.stack;

import io.github.argrpo.rewards.judge.JudgeQuestion;

/** {@code vlm_judge_fake}: the {@link JudgeQuestion#FAKE} judge; options as {@link VlmJudgeProvider}. */
public final class VlmJudgeFakeProvider extends VlmJudgeProvider {

  /** The {@link JudgeQuestion#FAKE} provider. */
  public VlmJudgeFakeProvider() {
    super(JudgeQuestion.FAKE);
  }
}
