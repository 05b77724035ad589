package io.github.argrpo.core.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.grpo.AdvantageConfig;
import io.github.argrpo.core.grpo.GradientSynchronizer;
import io.github.argrpo.core.grpo.GrpoStepStats;
import io.github.argrpo.core.runtime.NativeRuntime;

/**
 * The reductions of a two-rank step, each rank simulated by a context whose collectives answer with
 * what the other rank would contribute: statistics reduced the right way (minimum, maximum, pooled
 * std), a non-finite reward failing both ranks together, and the replica check catching a permutation.
 */
class DistributedGrpoReductionTest {

  /** One rank of two; {@code gather} and {@code mean} play the collectives. */
  private record ScriptedRank(int rank, UnaryOperator<double[]> gather, UnaryOperator<Map<String, Double>> mean)
      implements DistributedContext {
    @Override
    public int worldSize() {
      return 2;
    }

    @Override
    public void broadcast(List<Tensor> tensors) {}

    @Override
    public GradientSynchronizer gradientSynchronizer() {
      return GradientSynchronizer.NONE;
    }

    @Override
    public double[] allGather(double[] local) {
      return gather.apply(local);
    }

    @Override
    public Map<String, Double> meanOver(Map<String, Double> local) {
      return mean.apply(local);
    }

    @Override
    public void barrier() {}

    @Override
    public void close() {}
  }

  private static double[] concat(double[] a, double[] b) {
    double[] out = new double[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static GrpoStepStats stats(double loss, double ratioMin, double ratioMax, double advStd) {
    return GrpoStepStats.builder().loss(loss).policyLoss(loss).klMean(0.01).clipFractions(0, 0).ratios(1, ratioMin, ratioMax)
        .advantages(0, advStd).rewards(0, 0).zeroStdFraction(0).entropy(1.5).gradNorm(0.3).optimizerSteps(1).tokens(8)
        .build();
  }

  @Test
  void ratioExtremesAreTheMinAndMaxOverRanksAndTheAdvantageStdIsPooled() {
    // rank 0 holds advantages (1, -1), rank 1 holds (0.5, -0.5); rewards (1, 0 | 0.75, 0.25)
    GrpoStepStats mine = stats(1.0, 0.9, 1.1, 1.0);
    GrpoStepStats theirs = stats(3.0, 0.8, 1.05, 0.5);
    ScriptedRank rank0 = new ScriptedRank(0, local -> concat(local, new double[] {theirs.ratioMin(), -theirs.ratioMax()}),
        local -> {
          Map<String, Double> m = new LinkedHashMap<>();
          Map<String, Double> other = theirs.toMetrics();
          local.forEach((k, v) -> m.put(k, (v + other.get(k)) / 2));
          return m;
        });
    ShardAdvantages adv = new ShardAdvantages(new double[] {1, -1}, new double[] {1, 0, 0.75, 0.25},
        new double[] {1, -1, 0.5, -0.5}, 0.0);
    GrpoStepStats g = new DistributedGrpo(rank0).reduce(mine, adv);
    assertThat(g.ratioMin()).isEqualTo(0.8);
    assertThat(g.ratioMax()).isEqualTo(1.1);
    assertThat(g.loss()).isCloseTo(2.0, within(1e-15));
    // pooled population std of (1, -1, 0.5, -0.5): sqrt(2.5 / 4), not the mean 0.75 of the ranks' stds
    assertThat(g.advantageStd()).isCloseTo(Math.sqrt(0.625), within(1e-15));
    assertThat(g.advantageMean()).isCloseTo(0.0, within(1e-15));
    // rewards (1, 0, 0.75, 0.25): mean 0.5, unbiased std sqrt(0.625 / 3)
    assertThat(g.rewardMean()).isCloseTo(0.5, within(1e-15));
    assertThat(g.rewardStd()).isCloseTo(Math.sqrt(0.625 / 3), within(1e-15));
    assertThat(g.tokens()).isEqualTo(16);
  }

  @Test
  void aNonFiniteRewardOnOneRankFailsBothRanksAfterTheGatherWithTheSameMessage() {
    double[] rewards0 = {0.2, 0.4};
    double[] rewards1 = {1.0, Double.NaN};
    double[] global = concat(rewards0, rewards1);
    boolean[] gathered = new boolean[2];
    String[] messages = new String[2];
    for (int r = 0; r < 2; r++) {
      int rank = r;
      ScriptedRank ctx = new ScriptedRank(rank, local -> {
        gathered[rank] = true;
        return global.clone();
      }, UnaryOperator.identity());
      double[] mine = rank == 0 ? rewards0 : rewards1;
      assertThatThrownBy(() -> new DistributedGrpo(ctx).advantages(mine, 2, AdvantageConfig.trl()))
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> messages[rank] = e.getMessage());
    }
    // the rank with the NaN still joined the gather, so the other one is not left waiting for it
    assertThat(gathered).containsExactly(true, true);
    assertThat(messages[1]).isEqualTo(messages[0]);
    assertThat(messages[0]).contains("sample 1 on rank 1").contains("is NaN");
  }

  @Test
  void theReplicaCheckCatchesAPermutationOfValues() {
    NativeRuntime.init();
    Tensor w0 = Tensor.create(new float[] {1f, 2f, 3f, 4f}, 2, 2);
    Tensor w1 = Tensor.create(new float[] {4f, 3f, 2f, 1f}, 2, 2); // the same values in another order
    Tensor b = Tensor.create(new float[] {0.5f}, 1);
    double[][] sent = new double[2][];
    // rank 1 checks first and records what it contributes; rank 0 then gathers (its own, rank 1's)
    ScriptedRank rank1 = new ScriptedRank(1, local -> {
      sent[1] = local;
      return concat(local, local);
    }, UnaryOperator.identity());
    Map<String, Tensor> onRank1 = new LinkedHashMap<>();
    onRank1.put("b", b);
    onRank1.put("w", w1);
    new DistributedGrpo(rank1).verifyReplicas(onRank1);
    ScriptedRank rank0 = new ScriptedRank(0, local -> concat(local, sent[1]), UnaryOperator.identity());
    Map<String, Tensor> onRank0 = new LinkedHashMap<>();
    onRank0.put("b", b);
    onRank0.put("w", w0);
    assertThatThrownBy(() -> new DistributedGrpo(rank0).verifyReplicas(onRank0))
        .isInstanceOf(DistributedException.class).hasMessageContaining("parameter 'w' on rank 1 differs");
    // equal replicas pass
    Map<String, Tensor> same = new LinkedHashMap<>(onRank0);
    ScriptedRank twin = new ScriptedRank(0, local -> concat(local, local), UnaryOperator.identity());
    new DistributedGrpo(twin).verifyReplicas(same);
  }
}
