package io.github.argrpo.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.github.argrpo.examples.demo.DemoOptions;
import io.github.argrpo.examples.demo.DemoSummary;
import io.github.argrpo.examples.demo.ShapeWorldDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code argrpo demo}: the embedded demo (see {@link ShapeWorldDemo}). */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Teaches a tiny LlamaGen model a synthetic world of coloured shapes, then improves it with GRPO.",
        "Writes the run folder (config.yaml, metrics.jsonl, reward_curve.png, samples/, checkpoints/) plus "
            + "before.png and after.png, and prints baseline and final reward, KL and entropy."})
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--out", required = true, description = "Run folder to write.")
  Path out;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of initialisation, data and sampling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--pretrain-steps", description = "Maximum-likelihood steps before GRPO (default: 500).")
  Integer pretrainSteps;

  @Option(names = "--grpo-steps", description = "GRPO steps (default: 80).")
  Integer grpoSteps;

  @Option(names = "--hackable", description = {"Train on colour fidelity alone, a reward that can be hacked, while the "
      + "held-out guard watches shape correctness on classes training never sees: metrics.jsonl gets eval/ values, "
      + "the run folder a best/ checkpoint (the paper's section 4.3 in miniature)."})
  boolean hackable;

  @Option(names = "--no-progress", description = "Do not draw the progress bar.")
  boolean noProgress;

  @Override
  public Integer call() {
    DemoOptions d = DemoOptions.defaults(out).withSeed(seed);
    d = new DemoOptions(d.out(), d.seed(), pretrainSteps == null ? d.pretrainSteps() : pretrainSteps, d.pretrainBatch(),
        d.pretrainLearningRate(), grpoSteps == null ? d.grpoSteps() : grpoSteps, d.conditionsPerStep(), d.groupSize(),
        d.learningRate(), d.beta(), d.cfgScale(), d.evalSamplesPerClass(), !noProgress, hackable);
    DemoSummary s = ShapeWorldDemo.run(d, d.progress() ? ProgressBar.forTraining("GRPO") : null);
    System.out.println(s.describe());
    System.out.println("run folder: " + out.toAbsolutePath() + " (before.png, after.png, reward_curve.png)");
    return 0;
  }
}
