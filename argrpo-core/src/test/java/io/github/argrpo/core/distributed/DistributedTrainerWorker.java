package io.github.argrpo.core.distributed;

import java.nio.file.Path;

import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.toy.PaletteTokenizer;
import io.github.argrpo.core.toy.ToyPolicy;
import io.github.argrpo.core.train.ConditionSource;
import io.github.argrpo.core.train.GrpoTrainer;
import io.github.argrpo.core.train.RunFolder;
import io.github.argrpo.core.train.TrainerConfig;

/**
 * One rank of a data-parallel {@link GrpoTrainer} run on the toy policy, started by
 * {@link TrainerDistributedTest}. Arguments: {@code runDir steps}. Every rank uses the same run folder:
 * rank 0 writes it, every rank resumes from its newest checkpoint. Rank {@code r}'s initial weights use
 * seed {@code 1 + r}, so only the broadcast makes the replicas equal. Writes
 * {@code params-rank<r>.bin} at the end.
 */
public final class DistributedTrainerWorker {

  private DistributedTrainerWorker() {}

  public static void main(String[] args) {
    try {
      NativeRuntime.init();
      Path dir = Path.of(args[0]);
      int steps = Integer.parseInt(args[1]);
      TrainerConfig cfg = TrainerConfig.builder().steps(steps).conditionsPerStep(4).groupSize(4).seed(3)
          .sampling(SamplingConfig.arGrpo()).grpo(GrpoConfig.builder().learningRate(0.05).beta(0.02).build())
          .checkpointEvery(10).keepCheckpoints(2).sampleEvery(0).sampleConditions(2).samplesPerCondition(2).build();
      try (C10dContext ctx = C10dContext.connect(DistributedConfig.fromEnvironment());
          ToyPolicy policy = new ToyPolicy(4, 16, 6, 1 + ctx.rank());
          PaletteTokenizer tok = new PaletteTokenizer(6, 2);
          GrpoTrainer t = new GrpoTrainer(cfg, policy, tok, new TokenMatchReward(), ConditionSource.classes(4),
              RunFolder.create(dir), ctx)) {
        t.run();
        new DistributedGrpo(ctx).verifyReplicas(policy.namedParameters());
        ToyGrpoSetup.write(dir.resolve("params-rank" + ctx.rank() + ".bin"), ToyGrpoSetup.flatParameters(policy));
        ctx.barrier();
      }
      System.out.println("done");
      System.exit(0);
    } catch (Throwable e) {
      System.out.println("worker failed: " + e);
      e.printStackTrace(System.out);
      System.exit(1);
    }
  }
}
