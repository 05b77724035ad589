package io.github.argrpo.examples.demo;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.file.Path;

/**
 * Settings of the embedded demo. {@link #defaults(Path)} is what {@code argrpo demo} runs; tests use
 * smaller budgets.
 *
 * @param out run folder
 * @param seed seed of initialisation, data, sampling
 * @param pretrainSteps maximum-likelihood steps that teach the tiny model the shape world
 * @param pretrainBatch images per pretraining step
 * @param pretrainLearningRate AdamW learning rate of pretraining
 * @param grpoSteps GRPO steps
 * @param conditionsPerStep classes per GRPO step
 * @param groupSize samples per class (G)
 * @param learningRate GRPO learning rate (larger than the paper's 1e-5: the model is tiny and the run short)
 * @param beta KL coefficient
 * @param cfgScale classifier-free guidance while sampling
 * @param evalSamplesPerClass images per class for the before/after reward measurement
 * @param progress show a progress bar on the terminal
 * @param hackable train on colour fidelity alone (a reward that can be hacked) with the held-out guard
 *     watching shape correctness on classes the training never draws: the paper's finding 4 in miniature
 */
public record DemoOptions(Path out, long seed, int pretrainSteps, int pretrainBatch, double pretrainLearningRate, int grpoSteps,
    int conditionsPerStep, int groupSize, double learningRate, double beta, double cfgScale, int evalSamplesPerClass,
    boolean progress, boolean hackable) {

  public DemoOptions {
    checkArgument(out != null, "an output folder is required (--out DIR)");
    checkArgument(pretrainSteps >= 0 && grpoSteps >= 0 && pretrainBatch >= 1 && conditionsPerStep >= 1
            && groupSize >= 2 && evalSamplesPerClass >= 1,
        "demo budgets must be positive (group size >= 2)");
  }

  /** The full demo: about three minutes on 2 cores. */
  public static DemoOptions defaults(Path out) {
    return new DemoOptions(out, 0L, 500, 64, 3e-3, 80, 8, 8, 5e-4, 0.02, 2.0, 8, true, false);
  }

  /** The same options with another seed. */
  public DemoOptions withSeed(long s) {
    return new DemoOptions(out, s, pretrainSteps, pretrainBatch, pretrainLearningRate, grpoSteps, conditionsPerStep, groupSize,
        learningRate, beta, cfgScale, evalSamplesPerClass, progress, hackable);
  }

  /** The same options with the hackable training reward and the held-out guard ({@code argrpo demo --hackable}). */
  public DemoOptions withHackableReward(boolean h) {
    return new DemoOptions(out, seed, pretrainSteps, pretrainBatch, pretrainLearningRate, grpoSteps, conditionsPerStep, groupSize,
        learningRate, beta, cfgScale, evalSamplesPerClass, progress, h);
  }
}
