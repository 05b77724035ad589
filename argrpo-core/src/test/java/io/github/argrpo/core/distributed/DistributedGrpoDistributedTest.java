package io.github.argrpo.core.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.grpo.AdamWGrpoOptimizer;
import io.github.argrpo.core.grpo.AdvantageConfig;
import io.github.argrpo.core.grpo.AdvantageScaling;
import io.github.argrpo.core.grpo.GradientSynchronizer;
import io.github.argrpo.core.grpo.GroupAdvantages;
import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.grpo.GrpoStepStats;
import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.toy.ToyPolicy;

/**
 * How the GRPO step is split over ranks: whole groups per rank, advantages of the global batch, the
 * per-rank optimizer step. Most tests simulate one rank of a world whose rewards the test knows; the
 * parity test runs two real ranks (threads of this JVM, Gloo on loopback).
 */
class DistributedGrpoDistributedTest {

  /**
   * Rank {@code rank} of a world of {@code world} whose concatenated rewards are {@code global}:
   * {@link #allGather} checks that this rank passes its own slice and answers with the whole.
   */
  private record KnownWorld(int rank, int world, double[] global) implements DistributedContext {
    @Override
    public int worldSize() {
      return world;
    }

    @Override
    public void broadcast(List<Tensor> tensors) {}

    @Override
    public GradientSynchronizer gradientSynchronizer() {
      return GradientSynchronizer.NONE;
    }

    @Override
    public double[] allGather(double[] local) {
      int n = global.length / world;
      assertThat(local).containsExactly(Arrays.copyOfRange(global, rank * n, (rank + 1) * n));
      return global.clone();
    }

    @Override
    public Map<String, Double> meanOver(Map<String, Double> local) {
      return local;
    }

    @Override
    public void barrier() {}

    @Override
    public void close() {}
  }

  private static double[] rewards(long seed, int n) {
    Random rnd = new Random(seed);
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      // coarse values so that some groups tie (zero spread)
      r[i] = rnd.nextInt(5) / 4.0;
    }
    return r;
  }

  @Test
  void shardedAdvantagesAreTheSlicesOfTheGlobalOnes() {
    qt().forAll(integers().between(2, 6), integers().between(1, 3), integers().between(1, 4), longs().all())
        .checkAssert((g, groupsPerRank, world, seed) -> {
          int local = g * groupsPerRank;
          double[] global = rewards(seed, local * world);
          for (AdvantageScaling scaling : AdvantageScaling.values()) {
            AdvantageConfig cfg = new AdvantageConfig(scaling, true, 1e-4);
            double[] expected = GroupAdvantages.compute(global, g, cfg);
            double[] concatenated = new double[global.length];
            for (int r = 0; r < world; r++) {
              double[] mine = Arrays.copyOfRange(global, r * local, (r + 1) * local);
              ShardAdvantages a = new DistributedGrpo(new KnownWorld(r, world, global)).advantages(mine, g, cfg);
              System.arraycopy(a.local(), 0, concatenated, r * local, local);
              assertThat(a.globalRewards()).containsExactly(global);
              assertThat(a.zeroStdFraction()).isEqualTo(GroupAdvantages.zeroStdFraction(global, g));
              if (scaling != AdvantageScaling.BATCH) {
                // a group never straddles two ranks: the local computation alone is exact
                assertThat(a.local()).containsExactly(GroupAdvantages.compute(mine, g, cfg));
              }
            }
            assertThat(concatenated).containsExactly(expected);
          }
        });
  }

  @Test
  void batchScalingNeedsTheGlobalStd() {
    // rank 0 holds a low-spread group, rank 1 a high-spread one: the batch std differs from each local one
    double[] global = {0, 0.1, 0, 0.1, 0, 10, 0, 10};
    AdvantageConfig batch = new AdvantageConfig(AdvantageScaling.BATCH, true, 0);
    double[] mine = Arrays.copyOfRange(global, 0, 4);
    double[] sharded = new DistributedGrpo(new KnownWorld(0, 2, global)).advantages(mine, 4, batch).local();
    assertThat(sharded).containsExactly(Arrays.copyOfRange(GroupAdvantages.compute(global, 4, batch), 0, 4));
    assertThat(sharded).isNotEqualTo(GroupAdvantages.compute(mine, 4, batch));
  }

  @Test
  void shardsAreContiguousWholeGroupsThatTileTheGlobalList() {
    qt().forAll(integers().between(1, 5), integers().between(1, 4)).checkAssert((perRank, world) -> {
      List<Integer> global = new ArrayList<>();
      for (int i = 0; i < perRank * world; i++) {
        global.add(i);
      }
      List<Integer> tiled = new ArrayList<>();
      for (int r = 0; r < world; r++) {
        List<Integer> s = new DistributedGrpo(new KnownWorld(r, world, new double[0])).shard(global);
        assertThat(s).hasSize(perRank);
        tiled.addAll(s);
      }
      assertThat(tiled).isEqualTo(global);
    });
    DistributedGrpo rank0of3 = new DistributedGrpo(new KnownWorld(0, 3, new double[0]));
    assertThatThrownBy(() -> rank0of3.shard(List.of(1, 2, 3, 4))).hasMessageContaining("4 conditions do not split evenly over 3 ranks");
  }

  @Test
  void theOptimizerStepIsSplitOverTheRanks() {
    GrpoConfig global = GrpoConfig.builder().sequencesPerOptimizerStep(16).microBatchSize(4).build();
    assertThat(new DistributedGrpo(new KnownWorld(0, 2, new double[0])).localConfig(global).sequencesPerOptimizerStep())
        .isEqualTo(8);
    assertThat(new DistributedGrpo(new KnownWorld(0, 1, new double[0])).localConfig(global)).isEqualTo(global);
    GrpoConfig whole = GrpoConfig.builder().build();
    assertThat(new DistributedGrpo(new KnownWorld(0, 4, new double[0])).localConfig(whole)).isEqualTo(whole);
    assertThatThrownBy(() -> new DistributedGrpo(new KnownWorld(0, 3, new double[0])).localConfig(global))
        .hasMessageContaining("sequencesPerOptimizerStep 16 does not split evenly over 3 ranks");
    assertThatThrownBy(() -> new DistributedGrpo(new KnownWorld(0, 8, new double[0])).localConfig(global))
        .hasMessageContaining("not a multiple of microBatchSize 4");
  }

  @Test
  void inASingleProcessTheStepIsThePlainOptimizerStep() {
    GrpoConfig cfg = ToyGrpoSetup.config();
    try (ToyPolicy a = new ToyPolicy(4, 8, 6, 9); ToyPolicy b = new ToyPolicy(4, 8, 6, 9); Policy refA = a.frozenCopy();
        Policy refB = b.frozenCopy(); AdamWGrpoOptimizer oa = new AdamWGrpoOptimizer(a, cfg);
        AdamWGrpoOptimizer ob = new AdamWGrpoOptimizer(b, cfg)) {
      DistributedGrpo single = new DistributedGrpo(DistributedContext.single());
      for (int step = 0; step < 2; step++) {
        try (Rollouts r = a.sample(ToyGrpoSetup.conditions(), 4, ToyGrpoSetup.sampling(step))) {
          GrpoStepStats plain = oa.step(r, ToyGrpoSetup.rewards(r), a, refA);
          GrpoStepStats viaDist = single.step(ob, r, ToyGrpoSetup.rewards(r), b, refB);
          assertThat(viaDist.toMetrics()).isEqualTo(plain.toMetrics());
          assertThat(viaDist.tokens()).isEqualTo(plain.tokens());
        }
      }
      assertThat(ToyGrpoSetup.flatParameters(b)).containsExactly(ToyGrpoSetup.flatParameters(a));
    }
  }

  @Test
  void twoRanksWithBatchStdScalingMatchOneProcess() throws Exception {
    // BATCH: the std over the whole batch, which only the gathered rewards give; the global step of
    // 32 sequences becomes 16 per rank
    GrpoConfig cfg = ToyGrpoSetup.config().toBuilder().advantages(new AdvantageConfig(AdvantageScaling.BATCH, true, 1e-4))
        .sequencesPerOptimizerStep(32).build();
    float[] single;
    try (ToyPolicy p = new ToyPolicy(4, 8, 6, 1); Policy ref = p.frozenCopy(); AdamWGrpoOptimizer opt = new AdamWGrpoOptimizer(p, cfg)) {
      for (int step = 0; step < 3; step++) {
        try (Rollouts r = p.sample(ToyGrpoSetup.conditions(), ToyGrpoSetup.GROUP, ToyGrpoSetup.sampling(step))) {
          opt.step(r, ToyGrpoSetup.rewards(r), p, ref);
        }
      }
      single = ToyGrpoSetup.flatParameters(p);
    }
    List<float[]> ranks;
    try (InProcessRanks world = new InProcessRanks(2, Duration.ofSeconds(30), 1)) {
      ranks = world.onEachRank(ctx -> {
        DistributedGrpo dist = new DistributedGrpo(ctx);
        try (ToyPolicy p = new ToyPolicy(4, 8, 6, 1 + ctx.rank())) {
          ctx.broadcast(p.trainableParameters());
          try (Policy ref = p.frozenCopy(); AdamWGrpoOptimizer opt = new AdamWGrpoOptimizer(p, dist.localConfig(cfg))) {
            assertThat(opt.config().sequencesPerOptimizerStep()).isEqualTo(16);
            for (int step = 0; step < 3; step++) {
              try (Rollouts global = p.sample(ToyGrpoSetup.conditions(), ToyGrpoSetup.GROUP, ToyGrpoSetup.sampling(step));
                  Rollouts mine = dist.shard(global)) {
                GrpoStepStats s = dist.step(opt, mine, ToyGrpoSetup.rewards(mine), p, ref);
                assertThat(s.tokens()).isEqualTo(32L * 8);
              }
            }
          }
          return ToyGrpoSetup.flatParameters(p);
        }
      });
    }
    assertThat(ranks.get(1)).containsExactly(ranks.get(0));
    for (int i = 0; i < single.length; i++) {
      assertThat(ranks.get(0)[i]).isCloseTo(single[i], within(1e-5f));
    }
  }

  @Test
  void anOptimizerBuiltWithTheGlobalStepSizeIsRejectedWithAHint() {
    GrpoConfig global = GrpoConfig.builder().beta(0).sequencesPerOptimizerStep(16).build();
    try (ToyPolicy p = new ToyPolicy(4, 8, 6, 1); AdamWGrpoOptimizer opt = new AdamWGrpoOptimizer(p, global);
        Rollouts mine = p.sample(ToyGrpoSetup.conditions().subList(0, 2), 4, ToyGrpoSetup.sampling(0))) {
      DistributedGrpo rank0of2 = new DistributedGrpo(new KnownWorld(0, 2, new double[16]));
      assertThatThrownBy(() -> rank0of2.step(opt, mine, ToyGrpoSetup.rewards(mine), p, null))
          .hasMessageContaining("steps of 16 sequences but this rank holds 8").hasMessageContaining("localConfig");
    }
  }

  @Test
  void aRanksRolloutsAreItsRowsOfTheGlobalBatch() {
    List<Condition> classes = List.of(Condition.ofClass(0), Condition.ofClass(1), Condition.ofClass(2), Condition.ofClass(3));
    try (ToyPolicy p = new ToyPolicy(4, 5, 6, 3);
        Rollouts global = p.sample(classes, 3, SamplingConfig.arGrpo().withSeed(5));
        Rollouts mine = new DistributedGrpo(new KnownWorld(1, 2, new double[0])).shard(global)) {
      assertThat(mine.groupConditions()).containsExactly(classes.get(2), classes.get(3));
      assertThat(mine.groupSize()).isEqualTo(3);
      long[][] all = global.tokensAsArray();
      assertThat(mine.tokensAsArray()).isDeepEqualTo(Arrays.copyOfRange(all, 6, 12));
      assertThat(mine.entropy().size(0)).isEqualTo(6);
      assertThat(mine.samplingLogProbs().size(0)).isEqualTo(6);
    }
  }
}
