package io.github.argrpo.eval.drawbench;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;

import io.github.argrpo.core.condition.TextCondition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;

/**
 * A reward model used as a DrawBench scorer: the CLIP score ({@code ClipScoreReward}, raw cosine) and
 * HPSv2.1 ({@code HpsReward}, raw). Those rewards already apply AR-GRPO's truncating 8-bit conversion,
 * so {@link ScorerInfo#conversion()} must be {@link PixelConversion#TRUNCATE}.
 *
 * <pre>{@code
 * DrawbenchScorer clip = new RewardScorer(ClipScoreReward.load(weights, bpe, null, Precision.FP32),
 *     new ScorerInfo("clip", "CLIP ViT-B/32", "fp32", PixelConversion.TRUNCATE, "raw cosine", 1));
 * }</pre>
 *
 * <p>Owns the reward: {@link #close()} closes it.
 */
public final class RewardScorer implements DrawbenchScorer {

  private final RewardFunction reward;
  private final ScorerInfo info;

  /** Wraps {@code reward}, which this scorer then owns. */
  public RewardScorer(RewardFunction reward, ScorerInfo info) {
    checkArgument(reward != null && info != null, "reward and info must be given");
    checkArgument(info.conversion() == PixelConversion.TRUNCATE,
        "%s: the reward models convert with truncation (to_pil_image); record PixelConversion.TRUNCATE, got %s",
        info.name(), info.conversion());
    this.reward = reward;
    this.info = info;
  }

  @Override
  public ScorerInfo info() {
    return info;
  }

  @Override
  public double[] score(ImageBatch images, List<String> prompts) {
    DrawbenchScorer.checkCounts(images, prompts, info.name());
    List<TextCondition> conds = new ArrayList<>(prompts.size());
    for (String p : prompts) {
      conds.add(new TextCondition(p, null));
    }
    return reward.score(images, conds).scores();
  }

  @Override
  public void close() {
    reward.close();
  }
}
