package io.github.argrpo.eval.imagenet.adm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Inception Scores known in closed form: uniform predictions give 1, confident distinct classes give C. */
class InceptionScoreTest {

  @Test
  void uniformPredictionsScoreOne() {
    FeatureMatrix pool = new FeatureMatrix(new float[4 * 3], 4, 3);
    float[] w = new float[3 * 5];
    assertThat(InceptionScore.compute(pool, w, 5, InceptionScore.SPLIT_SIZE)).isCloseTo(1.0, within(1e-6));
  }

  @Test
  void confidentPredictionsOfTwoClassesScoreTwo() {
    // logits (100, 0) and (0, 100): p ~ one-hot, marginal (1/2, 1/2), KL = log 2 for each row
    FeatureMatrix pool = new FeatureMatrix(new float[] {100, 0, 0, 100}, 2, 2);
    float[] identity = {1, 0, 0, 1};
    assertThat(InceptionScore.compute(pool, identity, 2, InceptionScore.SPLIT_SIZE)).isCloseTo(2.0, within(1e-5));
  }

  @Test
  void splitsAreScoredSeparatelyAndAveraged() {
    // split 2: rows {class 0, class 1} score 2, rows {class 0, class 0} score 1; mean 1.5
    FeatureMatrix pool = new FeatureMatrix(new float[] {100, 0, 0, 100, 100, 0, 100, 0}, 4, 2);
    float[] identity = {1, 0, 0, 1};
    assertThat(InceptionScore.compute(pool, identity, 2, 2)).isCloseTo(1.5, within(1e-5));
  }
}
