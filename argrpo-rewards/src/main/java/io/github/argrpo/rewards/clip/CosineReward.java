package io.github.argrpo.rewards.clip;

import java.util.List;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;
import io.github.argrpo.core.reward.Rewards;

/**
 * A reward that is the cosine of a CLIP-family model's image and text embeddings, computed by a
 * {@link ClipSimilarity}: the shared body of {@link ClipScoreReward} (OpenAI preprocessing) and
 * {@code HpsReward} (open_clip preprocessing). Subclasses choose the preprocessing and tokenizer
 * cleaning; this class holds the name, the model's ownership and the scoring.
 */
public abstract class CosineReward implements RewardFunction {

  private final String name;
  private final ClipModel model;
  private final boolean ownsModel;
  private final ClipSimilarity similarity;

  /**
   * @param name metric name (letters, digits, '_', '.', '-', '/')
   * @param model the model; closed with this reward when {@code ownsModel}
   * @param similarity the scoring engine built on {@code model}
   */
  protected CosineReward(String name, ClipModel model, boolean ownsModel, ClipSimilarity similarity) {
    Rewards.checkName(name);
    this.name = name;
    this.model = model;
    this.ownsModel = ownsModel;
    this.similarity = similarity;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
    RewardFunction.checkCounts(images, conditions, name);
    return RewardResult.named(name, similarity.cosines(images, conditions));
  }

  /** The similarity engine (texts, caching). */
  public final ClipSimilarity similarity() {
    return similarity;
  }

  /** The model. */
  public final ClipModel model() {
    return model;
  }

  @Override
  public void close() {
    if (ownsModel) {
      model.close();
    }
  }
}
