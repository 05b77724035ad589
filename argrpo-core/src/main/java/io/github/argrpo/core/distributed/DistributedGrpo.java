package io.github.argrpo.core.distributed;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.grpo.AdvantageConfig;
import io.github.argrpo.core.grpo.GroupAdvantages;
import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.grpo.GrpoOptimizer;
import io.github.argrpo.core.grpo.GrpoStepStats;
import io.github.argrpo.core.policy.ParameterChecksums;
import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.Rollouts;

/**
 * The data-parallel parts of a GRPO step, for a trainer that runs on every rank of a
 * {@link DistributedContext} (with {@link DistributedContext#single()} they reduce to the
 * single-process step).
 *
 * <p>How the work is split, as TRL and the AR-GRPO code split it: the global list of conditions is cut
 * into {@code worldSize} contiguous shards of whole groups ({@link #shard(List)}); each rank samples
 * and scores its shard; the rewards are all-gathered, the advantages computed over the global batch and
 * each rank keeps its slice ({@link #advantages}); each rank back-propagates the loss of its shard and
 * the gradients are averaged before every AdamW step, so every rank takes the same step
 * ({@link #step}). With {@code AdvantageScaling.GROUP} or {@code NONE} the local computation would be
 * exact on its own, because a group never straddles two ranks; with {@code BATCH} the std is over the
 * whole batch and needs the gather. The gather is always done, since the logged reward std and
 * zero-std fraction are global statistics too.
 *
 * <pre>{@code
 * DistributedGrpo dist = new DistributedGrpo(ctx);
 * try (GrpoOptimizer opt = new AdamWGrpoOptimizer(policy, dist.localConfig(config))) {
 *   ctx.broadcast(policy.trainableParameters());
 *   for (int step = 0; step < steps; step++) {
 *     List<Condition> mine = dist.shard(globalConditions(step));
 *     try (Rollouts r = policy.sample(mine, groupSize, sampling.withSeed(seed(step, ctx.rank())))) {
 *       GrpoStepStats s = dist.step(opt, r, rewards(r), policy, reference);   // global statistics
 *       if (ctx.isMain()) { log(s); }
 *     }
 *   }
 * }
 * }</pre>
 */
public final class DistributedGrpo {

  private final DistributedContext context;

  /** Helpers for the ranks of {@code context}. */
  public DistributedGrpo(DistributedContext context) {
    this.context = checkNotNull(context, "context");
  }

  /** The context these helpers communicate through. */
  public DistributedContext context() {
    return context;
  }

  /**
   * This rank's contiguous share of a global list (one entry per group, so every group stays whole on
   * one rank): entries {@code [rank * n / world, (rank + 1) * n / world)}, TRL's process slice.
   *
   * @throws IllegalArgumentException if the list does not split evenly (unequal shards would weight
   *     the ranks' gradients unequally in the average)
   */
  public <T> List<T> shard(List<T> global) {
    int world = context.worldSize();
    int n = global.size();
    checkArgument(n > 0 && n % world == 0, "%s conditions do not split evenly over %s ranks; use a multiple of %s "
        + "conditions per step", n, world, world);
    int k = n / world;
    return List.copyOf(global.subList(context.rank() * k, (context.rank() + 1) * k));
  }

  /**
   * This rank's groups of rollouts sampled for the whole global batch (every rank sampled the same
   * batch, e.g. with the same seed): a deterministic way to split work, used to check that the
   * distributed step equals the single-process one. The caller closes the result; {@code global}
   * stays open.
   */
  public Rollouts shard(Rollouts global) {
    List<Object> groups = new ArrayList<>(global.groupConditions());
    List<Object> mine = shard(groups);
    int g = global.groupSize();
    long rows = (long) mine.size() * g;
    long start = (long) context.rank() * rows;
    try (PointerScope scope = new PointerScope()) {
      Tensor lp = global.samplingLogProbs();
      Tensor ent = global.entropy();
      return new Rollouts(global.groupConditions().subList(context.rank() * mine.size(), (context.rank() + 1)
          * mine.size()), g, global.tokens().narrow(0, start, rows), lp == null ? null : lp.narrow(0, start, rows),
          ent == null ? null : ent.narrow(0, start, rows), global.samplingConfig());
    }
  }

  /**
   * The per-rank optimizer config for a {@code global} one: {@code sequencesPerOptimizerStep} counts
   * sequences of the global batch, so each rank takes {@code 1 / worldSize} of it per step (0, the
   * whole batch, stays 0). Everything else is unchanged. With several optimizer steps per pass, step
   * {@code k} takes the {@code k}-th chunk of every rank's shard (as TRL's gradient accumulation does),
   * which equals a single process's step {@code k} only when there is one step per pass.
   *
   * @throws IllegalArgumentException if the step does not split evenly over the ranks or the per-rank
   *     share is not a multiple of {@code microBatchSize}
   */
  public GrpoConfig localConfig(GrpoConfig global) {
    int world = context.worldSize();
    int s = global.sequencesPerOptimizerStep();
    if (s == 0 || world == 1) {
      return global;
    }
    checkArgument(s % world == 0, "sequencesPerOptimizerStep %s does not split evenly over %s ranks", s, world);
    int local = s / world;
    checkArgument(global.microBatchSize() == 0 || local % global.microBatchSize() == 0,
        "the per-rank optimizer step of %s sequences (sequencesPerOptimizerStep %s / %s ranks) is not a multiple of "
            + "microBatchSize %s", local, s, world, global.microBatchSize());
    return global.toBuilder().sequencesPerOptimizerStep(local).build();
  }

  /**
   * Advantages of this rank's rollouts from every rank's rewards: all-gathers the rewards, computes
   * the advantages of the global batch (eq. 3; per-group centring, std per group or over the whole
   * batch as {@code config} says) and returns this rank's slice with the global statistics.
   *
   * @param localRewards one reward per local rollout, laid out group by group
   * @throws IllegalArgumentException on a bad group size, or on a non-finite reward of any rank: checked
   *     after the gather, so every rank fails at once with the same message naming the rank and sample
   *     (a rank that failed alone would leave the others waiting in the gather until the timeout)
   */
  public ShardAdvantages advantages(double[] localRewards, int groupSize, AdvantageConfig config) {
    checkArgument(groupSize >= 2, "groupSize must be >= 2 (advantages compare samples within a group), got %s",
        groupSize);
    checkArgument(localRewards.length > 0 && localRewards.length % groupSize == 0,
        "the batch must be a whole number of groups: %s rewards for groups of %s", localRewards.length, groupSize);
    double[] all = context.allGather(localRewards);
    int n = localRewards.length;
    for (int i = 0; i < all.length; i++) {
      checkArgument(Double.isFinite(all[i]),
          "the reward of sample %s on rank %s (group %s of that rank, sample %s of the global batch) is %s; "
              + "every sample needs a finite reward (check the reward's unreadable-reply policy)", i % n, i / n,
          i % n / groupSize, i, all[i]);
    }
    double[] adv = GroupAdvantages.compute(all, groupSize, config);
    double[] local = new double[n];
    System.arraycopy(adv, context.rank() * n, local, 0, n);
    return new ShardAdvantages(local, all, adv, GroupAdvantages.zeroStdFraction(all, groupSize));
  }

  /**
   * One distributed GRPO optimisation phase: installs the context's gradient synchronizer on
   * {@code optimizer}, computes the advantages over the global batch, runs
   * {@link GrpoOptimizer#optimize} on this rank's rollouts, and reduces the statistics.
   *
   * @param optimizer built with {@link #localConfig(GrpoConfig)} of the global config
   * @param local this rank's rollouts
   * @param localRewards one reward per local rollout
   * @return the statistics of the whole global batch, the same on every rank
   */
  public GrpoStepStats step(GrpoOptimizer optimizer, Rollouts local, double[] localRewards, Policy policy,
      Policy reference) {
    checkArgument(localRewards.length == local.size(), "%s rewards for %s local rollouts; pass one reward per rollout",
        localRewards.length, local.size());
    int perStep = optimizer.config().sequencesPerOptimizerStep();
    checkArgument(perStep <= local.size(), "the optimizer takes steps of %s sequences but this rank holds %s; "
        + "sequencesPerOptimizerStep counts the global batch: build the optimizer with localConfig(config)", perStep,
        local.size());
    optimizer.setGradientSynchronizer(context.gradientSynchronizer());
    ShardAdvantages adv = advantages(localRewards, local.groupSize(), optimizer.config().advantages());
    GrpoStepStats mine = optimizer.optimize(local, adv.local(), localRewards, adv.zeroStdFraction(), policy, reference);
    return reduce(mine, adv);
  }

  /**
   * The statistics of the whole batch from this rank's, each with the reduction it needs: token means
   * (loss, KL, clip fractions, ratio mean, entropy) are averaged over ranks, exact for equal shards; the
   * ratio extremes are the minimum and maximum over ranks; reward and advantage statistics (means, the
   * pooled stds) are recomputed from the gathered arrays; the gradient norm is already global (taken
   * after the all-reduce). This is the one reduction of the step's statistics; the trainer uses it.
   */
  public GrpoStepStats reduce(GrpoStepStats local, ShardAdvantages adv) {
    Map<String, Double> m = context.meanOver(local.toMetrics());
    double[] extremes = context.allGather(new double[] {local.ratioMin(), -local.ratioMax()});
    double rmin = Double.POSITIVE_INFINITY;
    double rmax = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < extremes.length; i += 2) {
      rmin = Math.min(rmin, extremes[i]);
      rmax = Math.max(rmax, -extremes[i + 1]);
    }
    double[] r = adv.globalRewards();
    double[] a = adv.globalAdvantages();
    return GrpoStepStats.builder()
        .loss(m.get("loss"))
        .policyLoss(m.get("policy_loss"))
        .klMean(m.get("kl"))
        .clipFractions(m.get("clip_fraction_low"), m.get("clip_fraction_high"))
        .ratios(m.get("ratio_mean"), rmin, rmax)
        .advantages(mean(a), std(a, false))
        .rewards(mean(r), std(r, true))
        .zeroStdFraction(adv.zeroStdFraction())
        .entropy(m.get("entropy"))
        .gradNorm(m.get("grad_norm"))
        .optimizerSteps(local.optimizerSteps())
        .tokens(local.tokens() * context.worldSize())
        .build();
  }

  /**
   * Checks that every rank holds bit-identical parameters, for example after each rank loaded "the
   * same" checkpoint on resume, and names the first parameter that differs. Each parameter's CRC-32
   * ({@link ParameterChecksums#crc32}: order-sensitive, so a permutation of values is caught, and exact,
   * so equal replicas always agree) is all-gathered and compared with rank 0's.
   *
   * @param params the parameters by name, in the same order on every rank (e.g. {@code policy.namedParameters()})
   * @throws DistributedException on every rank if some rank differs (or holds a different number of parameters)
   */
  public void verifyReplicas(Map<String, Tensor> params) {
    List<String> names = new ArrayList<>(params.keySet());
    double[] local = new double[names.size()];
    for (int i = 0; i < names.size(); i++) {
      // a CRC-32 is below 2^32, exact in a double
      local[i] = (double) ParameterChecksums.crc32(params.get(names.get(i)));
    }
    double[] all;
    try {
      all = context.allGather(local);
    } catch (DistributedException e) {
      throw new DistributedException("replica check: the ranks hold different numbers of parameters (this rank has "
          + names.size() + "): " + e.getMessage(), e);
    }
    int m = local.length;
    for (int r = 1; r < context.worldSize(); r++) {
      for (int i = 0; i < m; i++) {
        if (all[r * m + i] != all[i]) {
          throw new DistributedException("replica check: parameter '" + names.get(i) + "' on rank " + r
              + " differs from rank 0's; every rank must start from the same weights (load the same checkpoint on "
              + "every rank, or broadcast rank 0's weights)");
        }
      }
    }
  }

  private static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return x.length == 0 ? Double.NaN : s / x.length;
  }

  private static double std(double[] x, boolean unbiased) {
    double m = mean(x);
    double ss = 0;
    for (double v : x) {
      ss += (v - m) * (v - m);
    }
    int div = unbiased ? x.length - 1 : x.length;
    return div <= 0 ? 0.0 : Math.sqrt(ss / div);
  }
}
