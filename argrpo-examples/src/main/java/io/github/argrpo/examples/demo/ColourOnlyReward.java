package io.github.argrpo.examples.demo;

import java.util.List;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;

/**
 * The hackable proxy of {@code argrpo demo --hackable}: {@link ShapeReward}'s colour fidelity alone
 * (the fraction of drawn patches that have the class colour). It says nothing about how much is drawn
 * or where, so a policy can raise it by drawing less of the shape in safer places: the reward keeps
 * rising while the picture (shape correctness, held out from training) gets worse, the reward hacking of
 * AR-GRPO section 4.3. The other components are kept in the result for the logs.
 */
final class ColourOnlyReward implements RewardFunction {

  private final ShapeReward full;

  ColourOnlyReward(ShapeReward full) {
    this.full = full;
  }

  @Override
  public String name() {
    return "colour_only";
  }

  @Override
  public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
    RewardResult r = full.score(images, conditions);
    return new RewardResult(r.components().get("colour").clone(), r.components());
  }
}
