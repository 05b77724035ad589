package io.github.argrpo.eval.drawbench;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.condition.TextCondition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;

/**
 * A DrawBench scorer used as a training reward or a held-out metric inside a loop: the scorer's
 * per-image value for text-to-image conditions, under the reward name {@code info().name()}.
 *
 * <pre>{@code
 * RewardFunction pick = new ScorerReward(pickScoreScorer);   // owns the scorer
 * RewardResult r = pick.score(images, textConditions);
 * }</pre>
 *
 * <p>Owns the scorer: {@link #close()} closes it.
 */
public final class ScorerReward implements RewardFunction {

  private final DrawbenchScorer scorer;

  /** Wraps {@code scorer}, which this reward then owns. */
  public ScorerReward(DrawbenchScorer scorer) {
    checkArgument(scorer != null, "scorer must not be null");
    this.scorer = scorer;
  }

  @Override
  public String name() {
    return scorer.info().name();
  }

  /**
   * @throws IllegalArgumentException if the counts differ or a condition is not a {@link TextCondition}
   *     (the DrawBench scorers judge images against prompts)
   */
  @Override
  public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
    RewardFunction.checkCounts(images, conditions, name());
    List<String> prompts = new ArrayList<>(conditions.size());
    for (Condition c : conditions) {
      if (!(c instanceof TextCondition t)) {
        throw new IllegalArgumentException(name() + " scores text-to-image samples; got a " + c.getClass().getSimpleName()
            + " (" + c.describe() + ")");
      }
      prompts.add(t.prompt());
    }
    return RewardResult.named(name(), scorer.score(images, prompts));
  }

  @Override
  public void close() {
    scorer.close();
  }
}
