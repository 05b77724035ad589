package io.github.argrpo.examples.extend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardResult;
import io.github.argrpo.rewards.stack.RewardStack;

/**
 * Tutorial 1: a reward written in Java ({@link TargetColourReward}), registered by its provider
 * ({@link TargetColourProvider}), and used from a YAML reward stack beside a built-in one. Run it with
 * {@code java ... io.github.argrpo.examples.extend.CustomRewardExample}; it scores three flat images
 * (orange, blue, grey) and prints the total and each component.
 */
public final class CustomRewardExample {

  private static final Logger LOG = LoggerFactory.getLogger(CustomRewardExample.class);

  /** The stack the example builds: the Java reward (weight 1) and the built-in sharpness (weight 0.5). */
  public static final String STACK = """
      rewards:
        - {name: target_colour, options: {rgb: [1.0, 0.5, 0.0]}}
        - {name: sharpness, weight: 0.5, options: {tau: 0.01}}
      """;

  private CustomRewardExample() {}

  public static void main(String[] args) {
    runExample(args);
  }

  /**
   * Builds the stack and scores three flat 8x8 images.
   *
   * @return the scores, one per image (orange, blue, grey)
   */
  public static RewardResult runExample(String[] args) {
    float[][] colours = {{1.0f, 0.5f, 0.0f}, {0.0f, 0.4f, 1.0f}, {0.5f, 0.5f, 0.5f}};
    int side = 8;
    float[] nchw = new float[colours.length * 3 * side * side];
    for (int i = 0; i < colours.length; i++) {
      for (int c = 0; c < 3; c++) {
        for (int k = 0; k < side * side; k++) {
          nchw[(i * 3 + c) * side * side + k] = colours[i][c];
        }
      }
    }
    List<Condition> conditions = new ArrayList<>();
    for (int i = 0; i < colours.length; i++) {
      conditions.add(Condition.ofClass(0));
    }
    try (RewardStack stack = RewardStack.fromYaml(STACK); ImageBatch images = ImageBatch.fromArray(nchw, colours.length, side, side)) {
      RewardResult r = stack.score(images, conditions);
      for (int i = 0; i < r.size(); i++) {
        int row = i;
        StringBuilder parts = new StringBuilder();
        r.components().forEach((k, v) -> parts.append(String.format(Locale.ROOT, " %s=%.4f", k, v[row])));
        LOG.info("image {}: total {}{}", i, String.format(Locale.ROOT, "%.4f", r.score(i)), parts);
      }
      return r;
    }
  }
}
