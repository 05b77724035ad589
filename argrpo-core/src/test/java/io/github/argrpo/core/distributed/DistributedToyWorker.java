package io.github.argrpo.core.distributed;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

import io.github.argrpo.core.grpo.AdamWGrpoOptimizer;
import io.github.argrpo.core.grpo.GrpoStepStats;
import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.toy.ToyPolicy;

/**
 * One rank of a data-parallel toy GRPO run, started as a child JVM by the distributed tests with the
 * torchrun variables set. Every rank samples the same global batch and optimizes its shard of it.
 *
 * <p>Arguments: {@code outDir steps paramsAfterStep [haltRank haltStep]}. Writes
 * {@code params-rank<r>.bin} after {@code paramsAfterStep} steps and (rank 0) {@code metrics.tsv}
 * lines {@code step reward_mean loss}; rank {@code haltRank} halts with status 3 at the start of step
 * {@code haltStep} (a crashed process: no shutdown, sockets closed by the OS).
 */
public final class DistributedToyWorker {

  private DistributedToyWorker() {}

  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } catch (Throwable t) {
      System.out.println("worker failed: " + t);
      t.printStackTrace(System.out);
      System.out.flush();
      System.exit(1);
    }
    System.exit(0);
  }

  static void run(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int steps = Integer.parseInt(args[1]);
    int paramsAfter = Integer.parseInt(args[2]);
    int haltRank = args.length > 3 ? Integer.parseInt(args[3]) : -1;
    int haltStep = args.length > 4 ? Integer.parseInt(args[4]) : -1;
    NativeRuntime.init();
    DistributedConfig cfg = DistributedConfig.fromEnvironment();
    try (C10dContext ctx = C10dContext.connect(cfg);
        // a different seed per rank: the broadcast below must make them equal
        ToyPolicy policy = new ToyPolicy(ToyGrpoSetup.CLASSES, ToyGrpoSetup.LENGTH, ToyGrpoSetup.VOCAB, 1 + ctx.rank())) {
      System.out.println("connected: rank " + ctx.rank() + " of " + ctx.worldSize());
      ctx.broadcast(policy.trainableParameters());
      DistributedGrpo dist = new DistributedGrpo(ctx);
      try (Policy reference = policy.frozenCopy();
          AdamWGrpoOptimizer opt = new AdamWGrpoOptimizer(policy, dist.localConfig(ToyGrpoSetup.config()))) {
        for (int step = 0; step < steps; step++) {
          if (ctx.rank() == haltRank && step == haltStep) {
            System.out.println("halting at step " + step);
            System.out.flush();
            Runtime.getRuntime().halt(3);
          }
          try (Rollouts global = policy.sample(ToyGrpoSetup.conditions(), ToyGrpoSetup.GROUP, ToyGrpoSetup.sampling(step));
              Rollouts mine = dist.shard(global)) {
            GrpoStepStats s = dist.step(opt, mine, ToyGrpoSetup.rewards(mine), policy, reference);
            if (ctx.isMain()) {
              Files.writeString(out.resolve("metrics.tsv"), String.format(Locale.ROOT, "%d\t%.6f\t%.6f%n", step,
                  s.rewardMean(), s.loss()), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
          }
          if (step + 1 == paramsAfter) {
            ToyGrpoSetup.write(out.resolve("params-rank" + ctx.rank() + ".bin"), ToyGrpoSetup.flatParameters(policy));
          }
        }
      }
      ctx.barrier();
      System.out.println("done");
    }
  }
}
