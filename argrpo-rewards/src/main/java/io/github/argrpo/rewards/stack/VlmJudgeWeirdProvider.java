package io.github.argrpo.rewards.stack;

import io.github.argrpo.rewards.judge.JudgeQuestion;

/** {@code vlm_judge_weird}: the {@link JudgeQuestion#WEIRD} judge; options as {@link VlmJudgeProvider}. */
public final class VlmJudgeWeirdProvider extends VlmJudgeProvider {

  /** The {@link JudgeQuestion#WEIRD} provider. */
  public VlmJudgeWeirdProvider() {
    super(JudgeQuestion.WEIRD);
  }
}
