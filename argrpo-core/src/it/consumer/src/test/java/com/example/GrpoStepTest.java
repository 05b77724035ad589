package com.example;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.grpo.AdamWGrpoOptimizer;
import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.grpo.GrpoStepStats;
import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.toy.ToyPolicy;

/** One GRPO step on the toy policy, through the installed argrpo-core only. */
class GrpoStepTest {

  @Test
  void oneGrpoStepUpdatesTheToyPolicy() {
    try (ToyPolicy policy = new ToyPolicy(4, 8, 6, 42); Policy reference = policy.frozenCopy();
        AdamWGrpoOptimizer opt = new AdamWGrpoOptimizer(policy, GrpoConfig.builder().learningRate(1e-2).build());
        Rollouts r = policy.sample(List.of(Condition.ofClass(0), Condition.ofClass(1)), 8, SamplingConfig.arGrpo())) {
      long[][] tokens = r.tokensAsArray();
      double[] rewards = new double[tokens.length];
      for (int i = 0; i < tokens.length; i++) {
        for (long t : tokens[i]) {
          rewards[i] += t == 0 ? 1 : 0; // reward: how often token 0 appears
        }
      }
      float before = first(policy);
      GrpoStepStats s = opt.step(r, rewards, policy, reference);
      assertTrue(Double.isFinite(s.loss()), "finite loss");
      assertNotEquals(before, first(policy), "the step changed the parameters");
    }
  }

  private static float first(Policy p) {
    Tensor t = p.trainableParameters().get(0).detach().contiguous();
    return new FloatPointer(t.data_ptr_float()).get(0);
  }
}
