package io.github.argrpo.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.condition.ClassCondition;
import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.distributed.DistributedContext;
import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.toy.PaletteTokenizer;
import io.github.argrpo.core.toy.ToyPolicy;

/**
 * The trainer programs against {@code GrpoOptimizer}: it trains through a second implementation (plain
 * gradient descent), and the update it makes is the one worked out here in double precision from the
 * toy policy's equations.
 */
class GrpoOptimizerSeamTest {

  private static final int CLASSES = 2;
  private static final int LENGTH = 4;
  private static final int VOCAB = 4;
  private static final int GROUP = 4;

  private static float[] values(Tensor t) {
    Tensor c = t.detach().contiguous();
    float[] f = new float[(int) c.numel()];
    new FloatPointer(c.data_ptr_float()).get(f);
    return f;
  }

  @Test
  void theTrainerStepsThroughAPlainSgdOptimizerAndTheUpdateIsTheHandWorkedOne(@TempDir Path dir) {
    double lr = 0.5;
    TrainerConfig cfg = TrainerConfig.builder().steps(1).conditionsPerStep(2).groupSize(GROUP).seed(11)
        .sampling(SamplingConfig.arGrpo()).grpo(GrpoConfig.builder().beta(0).learningRate(lr).build())
        .checkpointEvery(0).keepCheckpoints(1).sampleEvery(0).sampleConditions(1).samplesPerCondition(1).build();
    PlainSgdGrpoOptimizer[] made = new PlainSgdGrpoOptimizer[1];
    try (ToyPolicy p = new ToyPolicy(CLASSES, LENGTH, VOCAB, 5); PaletteTokenizer tok = new PaletteTokenizer(VOCAB, 1);
        TargetColourReward r = new TargetColourReward(tok, 0);
        GrpoTrainer t = new GrpoTrainer(cfg, p, tok, r, ConditionSource.classes(CLASSES), RunFolder.create(dir),
            DistributedContext.single(), (policy, c) -> made[0] = new PlainSgdGrpoOptimizer(policy, c))) {
      assertThat(t.optimizer()).isSameAs(made[0]);
      float[] table0 = values(p.namedParameters().get("table"));   // (CLASSES + 1, LENGTH, VOCAB)
      float[] bigram0 = values(p.namedParameters().get("bigram")); // (VOCAB + 1, VOCAB), row VOCAB = start
      t.run();
      PlainSgdGrpoOptimizer sgd = made[0];
      long[][] tokens = sgd.lastTokens;
      int n = tokens.length;
      assertThat(n).isEqualTo(2 * GROUP);

      // TRL advantages: (r - group mean) / (unbiased group std + 1e-4)
      double[] rw = sgd.lastRewards;
      double[] adv = new double[n];
      for (int g = 0; g < n; g += GROUP) {
        double mean = 0;
        for (int i = g; i < g + GROUP; i++) {
          mean += rw[i] / GROUP;
        }
        double ss = 0;
        for (int i = g; i < g + GROUP; i++) {
          ss += (rw[i] - mean) * (rw[i] - mean);
        }
        double std = Math.sqrt(ss / (GROUP - 1));
        for (int i = g; i < g + GROUP; i++) {
          adv[i] = std == 0 ? 0 : (rw[i] - mean) / (std + 1e-4);
        }
      }
      assertThat(sgd.lastAdvantages).containsExactly(adv, within(1e-12));

      // mu = 1, beta = 0, bnpo: loss = -(1 / (n L)) sum_{i,t} A_i exp(lp - sg(lp)), so the gradient
      // of a logit is -(1 / (n L)) A_i (onehot(token) - softmax); logits = table[class, t] + bigram[prev]
      double[] gTable = new double[table0.length];
      double[] gBigram = new double[bigram0.length];
      // the trainer draws the conditions; the rollouts' order is group by group, so row i has class c_i
      // which the optimizer saw: recover it from the draw the trainer made
      int[] classOf = new int[n];
      List<Condition> drawn = ConditionSource.classes(CLASSES).draw(2, Seeds.derive(11, 1, 0));
      for (int i = 0; i < n; i++) {
        classOf[i] = ((ClassCondition) drawn.get(i / GROUP)).label();
      }
      for (int i = 0; i < n; i++) {
        int prev = VOCAB;
        for (int pos = 0; pos < LENGTH; pos++) {
          double[] logit = new double[VOCAB];
          double max = Double.NEGATIVE_INFINITY;
          for (int v = 0; v < VOCAB; v++) {
            logit[v] = table0[(classOf[i] * LENGTH + pos) * VOCAB + v] + bigram0[prev * VOCAB + v];
            max = Math.max(max, logit[v]);
          }
          double z = 0;
          for (int v = 0; v < VOCAB; v++) {
            z += Math.exp(logit[v] - max);
          }
          for (int v = 0; v < VOCAB; v++) {
            double prob = Math.exp(logit[v] - max) / z;
            double dLogit = -adv[i] * ((tokens[i][pos] == v ? 1 : 0) - prob) / (n * LENGTH);
            gTable[(classOf[i] * LENGTH + pos) * VOCAB + v] += dLogit;
            gBigram[prev * VOCAB + v] += dLogit;
          }
          prev = (int) tokens[i][pos];
        }
      }
      float[] table1 = values(p.namedParameters().get("table"));
      float[] bigram1 = values(p.namedParameters().get("bigram"));
      double moved = 0;
      for (int k = 0; k < table0.length; k++) {
        assertThat((double) table1[k]).as("table[%d]", k).isCloseTo(table0[k] - lr * gTable[k], within(2e-6));
        moved += Math.abs(table1[k] - table0[k]);
      }
      for (int k = 0; k < bigram0.length; k++) {
        assertThat((double) bigram1[k]).as("bigram[%d]", k).isCloseTo(bigram0[k] - lr * gBigram[k], within(2e-6));
      }
      assertThat(moved).as("the update moved the policy").isGreaterThan(1e-3);
      // the checkpoint at the end holds this optimizer's own state
      assertThat(new Checkpointer(dir.resolve("checkpoints"), 1).latest().orElseThrow().folder().resolve("optimizer.pt"))
          .hasContent(lr + " 1");
    }
  }
}
