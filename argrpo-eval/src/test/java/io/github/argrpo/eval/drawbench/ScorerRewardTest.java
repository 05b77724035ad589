package io.github.argrpo.eval.drawbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.argrpo.core.condition.ClassCondition;
import io.github.argrpo.core.condition.TextCondition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardResult;

/** A scorer as a reward: prompt lengths as hand-worked scores, text conditions only. */
class ScorerRewardTest {

  private static final class PromptLength implements DrawbenchScorer {
    boolean closed;

    @Override
    public ScorerInfo info() {
      return new ScorerInfo("length", "prompt length", "fp32", PixelConversion.ROUND, "characters", 1);
    }

    @Override
    public double[] score(ImageBatch images, List<String> prompts) {
      return prompts.stream().mapToDouble(String::length).toArray();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void scoresTextConditionsAndOwnsTheScorer() {
    PromptLength s = new PromptLength();
    try (ImageBatch images = ImageBatch.fromArray(new float[2 * 3], 2, 1, 1)) {
      ScorerReward r = new ScorerReward(s);
      RewardResult res = r.score(images, List.of(new TextCondition("cat", null), new TextCondition("a dog", null)));
      assertArrayEquals(new double[] {3, 5}, res.scores());
      assertEquals("length", r.name());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> r.score(images, List.of(new ClassCondition(1), new ClassCondition(2))));
      assertTrue(e.getMessage().contains("text-to-image"), e.getMessage());
      r.close();
      assertTrue(s.closed);
    }
  }
}
