package io.github.argrpo.core.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.grpo.GradientSynchronizer;
import io.github.argrpo.core.grpo.GrpoConfig;
import io.github.argrpo.core.grpo.GrpoLoss;
import io.github.argrpo.core.grpo.GrpoOptimizer;
import io.github.argrpo.core.grpo.GrpoStepStats;
import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.Rollouts;

/**
 * A second {@link GrpoOptimizer} for tests: one plain gradient-descent step {@code p -= lr * grad} on
 * the whole batch per call (no moments, no clipping). It keeps what it was given so a test can
 * recompute the update by hand.
 */
final class PlainSgdGrpoOptimizer implements GrpoOptimizer {

  private final GrpoConfig config;
  private final List<Tensor> params;
  private double lr;
  /** The learning rate of each {@link #optimize} call, in order. */
  final List<Double> ratesUsed = new ArrayList<>();
  private int updates;
  long[][] lastTokens;
  double[] lastAdvantages;
  double[] lastRewards;

  PlainSgdGrpoOptimizer(Policy policy, GrpoConfig config) {
    this.config = config;
    this.params = List.copyOf(policy.trainableParameters());
    this.lr = config.learningRate();
  }

  @Override
  public GrpoStepStats optimize(Rollouts rollouts, double[] advantages, double[] rewards, double zeroStdFraction,
      Policy policy, Policy reference) {
    ratesUsed.add(lr);
    lastTokens = rollouts.tokensAsArray();
    lastAdvantages = advantages.clone();
    lastRewards = rewards.clone();
    int n = rollouts.size();
    long len = rollouts.tokens().size(1);
    double loss;
    try (PointerScope scope = new PointerScope()) {
      for (Tensor p : params) {
        if (p.grad().defined()) {
          p.grad().zero_();
        }
      }
      Tensor lp = policy.tokenLogProbs(rollouts.sampleConditions(), rollouts.tokens(), config.logProbSource(),
          rollouts.samplingConfig());
      GrpoLoss.Output out = GrpoLoss.compute(lp, null, null, Tensor.create(advantages, n), null, config, n,
          (double) n * len);
      out.loss().backward();
      loss = out.loss().item_double();
      try (NoGradGuard ng = new NoGradGuard()) {
        for (Tensor p : params) {
          p.sub_(p.grad(), new Scalar(lr));
        }
      }
    }
    updates++;
    return GrpoStepStats.builder().loss(loss).policyLoss(loss).ratios(1, 1, 1).clipFractions(0, 0)
        .advantages(0, 0).rewards(0, 0).zeroStdFraction(zeroStdFraction).entropy(rollouts.meanEntropy()).gradNorm(0)
        .optimizerSteps(1).tokens((long) n * len).build();
  }

  @Override
  public GrpoConfig config() {
    return config;
  }

  @Override
  public double learningRate() {
    return lr;
  }

  @Override
  public void setLearningRate(double learningRate) {
    lr = learningRate;
  }

  @Override
  public void setGradientSynchronizer(GradientSynchronizer synchronizer) {
    // one process only
  }

  @Override
  public void saveState(Path file) {
    try {
      Files.writeString(file, lr + " " + updates);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void loadState(Path file) {
    try {
      String[] s = Files.readString(file).trim().split(" ");
      lr = Double.parseDouble(s[0]);
      updates = Integer.parseInt(s[1]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {}
}
