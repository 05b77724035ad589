package io.github.argrpo.examples.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.distributed.DistributedContext;
import io.github.argrpo.core.runtime.RankDevice;
import io.github.argrpo.core.train.GrpoTrainer;
import io.github.argrpo.core.train.MetricsLog;
import io.github.argrpo.core.train.RunFolder;
import io.github.argrpo.core.train.StepRecord;
import io.github.argrpo.core.train.tensorboard.TensorBoardListener;
import io.github.argrpo.examples.plot.CurvePlotListener;
import io.github.argrpo.examples.run.HeldOut;
import io.github.argrpo.examples.run.LoadedModels;
import io.github.argrpo.examples.run.PolicyWeights;
import io.github.argrpo.examples.run.RunConfig;
import io.github.argrpo.examples.run.RunReuse;
import io.github.argrpo.rewards.stack.RewardStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code argrpo train}: GRPO fine-tuning of a LlamaGen model from a run config.
 *
 * <pre>
 * ./argrpo train --config c2i_B_256 --out runs/c2i_B_256 --set model.device=cuda
 * torchrun --nproc_per_node 4 ... (or LocalLauncher): data-parallel when WORLD_SIZE/RANK/... are set
 * </pre>
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"GRPO fine-tuning of a LlamaGen model (AR-GRPO) from a YAML run config.",
        "Writes the run folder: config.yaml (the resolved config, every default explicit), metrics.jsonl, "
            + "reward_curve.png, reward_components.png, events.out.tfevents.* (TensorBoard), samples/, checkpoints/.",
        "Resumes from the newest checkpoint in --out when its saved config.yaml agrees with this config "
            + "(trainer.steps may differ); --resume continues anyway, --fresh wants an empty folder.",
        "Data-parallel when the torchrun variables (WORLD_SIZE, RANK, MASTER_ADDR, MASTER_PORT) are set."})
public final class TrainCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions config;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run folder to write (or resume).")
  Path out;

  @Option(names = "--no-progress", description = "Do not draw the progress bar.")
  boolean noProgress;

  @Option(names = "--resume", description = "Continue the run in --out even if its saved config (config.yaml) differs from this one.")
  boolean resume;

  @Option(names = "--fresh", description = "Refuse to use an --out folder that is not empty.")
  boolean fresh;

  @Option(names = "--no-tensorboard", description = "Do not write TensorBoard event files into the run folder.")
  boolean noTensorboard;

  @Option(names = "--dry-run", description = "Validate the config and print it resolved; load nothing, train nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    RunConfig c = config.load(true);
    PrintWriter o = spec.commandLine().getOut();
    if (dryRun) {
      o.print(c.resolvedYaml());
      o.println("# config OK: " + c.model().describe() + ", " + c.trainer().steps() + " steps of "
          + c.trainer().conditionsPerStep() + " x " + c.trainer().groupSize() + " samples");
      o.flush();
      return 0;
    }
    if (resume && fresh) {
      throw new ConfigException("--resume and --fresh contradict each other: pick one");
    }
    if (isMainRank()) {
      RunReuse.check(out, c.resolvedYaml(), fresh ? RunReuse.Mode.FRESH : resume ? RunReuse.Mode.RESUME : RunReuse.Mode.CHECK);
    }
    // The rank's GPU (cuda -> cuda:LOCAL_RANK) is chosen and made current before the rewards and models
    // are built: the NCCL group selects it only when it connects, after them.
    RankDevice.select(c.model().device());
    RewardStack rewards;
    try {
      rewards = RewardStack.fromSpecs(c.rewards());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("rewards: " + PolicyWeights.oneLine(e.getMessage()), e);
    }
    try (rewards; LoadedModels m = LoadedModels.load(c); DistributedContext dist = DistributedContext.fromEnvironment()) {
      RunFolder folder = RunFolder.create(out);
      HeldOut heldOut = HeldOut.of(c, m);
      try (heldOut; GrpoTrainer t = new GrpoTrainer(c.trainer(), m.policy(), m.vq(), rewards, heldOut.trainingSource(), folder,
          dist)) {
        t.withResolvedConfig("# resolved from " + c.source() + "\n" + c.resolvedYaml());
        if (!noProgress && dist.isMain()) {
          t.addListener(ProgressBar.forTraining("GRPO"));
        }
        t.addListener(new CurvePlotListener(folder));
        TensorBoardListener tensorboard = !noTensorboard && dist.isMain() ? new TensorBoardListener(folder) : null;
        if (tensorboard != null) {
          t.addListener(tensorboard);
        }
        if (heldOut.evaluator() != null) {
          t.withHeldOutEvaluation(heldOut.evaluator());
        }
        List<StepRecord> records;
        try (AutoCloseable closeTensorboard = tensorboard == null ? () -> { } : tensorboard) {
          records = t.run();
        }
        if (dist.isMain()) {
          if (records.isEmpty()) {
            o.println("nothing to do: the run in " + out + " already reached step " + c.trainer().steps());
          } else {
            StepRecord last = records.get(records.size() - 1);
            o.println(String.format(Locale.ROOT, "trained %d steps (last step %d): reward %.4f, kl %.5f, entropy %.4f",
                records.size(), last.step(), last.get("reward_mean"), last.get("kl"), last.get("entropy")));
          }
          o.println("run folder: " + out.toAbsolutePath());
          o.flush();
        }
      }
    }
    return 0;
  }

  /** Rank 0, or a single process: the one that checks the run folder (the others would race its writes). */
  private static boolean isMainRank() {
    String rank = System.getenv("RANK");
    return rank == null || rank.isBlank() || rank.trim().equals("0");
  }
}
