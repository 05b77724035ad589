package io.github.argrpo.examples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.condition.TextCondition;
import io.github.argrpo.core.condition.TextFeatures;
import io.github.argrpo.core.train.ConditionSource;
import io.github.argrpo.examples.run.RunConfig;
import io.github.argrpo.models.llamagen.GptConfig;
import io.github.argrpo.models.llamagen.ModelType;

/**
 * Conditions for {@link StepBenchmark} without data files: the config's classes for c2i; for t2i,
 * random caption features of the model's shape (LlamaGen's 120 left-padded tokens, 32 of them valid,
 * roughly a COCO caption), since the cost of a step does not depend on what the features say.
 */
final class BenchConditions {

  private static final int VALID_TOKENS = 32;

  private BenchConditions() {}

  static List<Condition> draw(RunConfig rc, GptConfig gpt, int count, long seed) {
    if (gpt.modelType() == ModelType.CLASS_TO_IMAGE) {
      return ConditionSource.classes(rc.conditions().classes()).draw(count, seed);
    }
    int tokens = gpt.clsTokenNum();
    int dim = gpt.captionDim();
    SplittableRandom r = new SplittableRandom(seed);
    List<Condition> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      float[] v = new float[tokens * dim];
      boolean[] mask = new boolean[tokens];
      int valid = Math.min(VALID_TOKENS, tokens);
      for (int t = tokens - valid; t < tokens; t++) {
        mask[t] = true;
        for (int d = 0; d < dim; d++) {
          v[t * dim + d] = (float) (r.nextGaussian() * 0.1);
        }
      }
      out.add(new TextCondition("benchmark prompt " + i, new TextFeatures(v, tokens, dim, mask)));
    }
    return out;
  }
}
