package io.github.argrpo.core.runtime;

import java.util.List;

import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * Builds libtorch {@code AdamW} optimizers with the betas the caller asked for.
 *
 * <p>Binding pitfall: {@code AdamWOptions.betas()} is a pointer onto a {@code std::tuple<double,double>},
 * which libstdc++ lays out in reverse, so element 0 is beta2 and element 1 is beta1. Writing
 * {@code put(0, beta1).put(1, beta2)} silently trains with the betas swapped (libtorch notes, section 0
 * item 1). {@link NativeRuntime#init()} verifies the layout once per JVM; {@link #betasInEffect} reads
 * them back in the conventional order.
 */
public final class AdamWFactory {

  private AdamWFactory() {}

  /**
   * A new AdamW over {@code params}. The optimizer owns native memory: build it outside any
   * {@code PointerScope} and {@code close()} it when training ends.
   *
   * @param lr learning rate
   * @param beta1 first-moment decay (the paper: 0.9)
   * @param beta2 second-moment decay (the paper: 0.95)
   * @param eps denominator epsilon (1e-8)
   * @param weightDecay decoupled weight decay (the paper: 0.05)
   */
  public static AdamW create(List<Tensor> params, double lr, double beta1, double beta2, double eps,
      double weightDecay) {
    checkRange("beta1", beta1);
    checkRange("beta2", beta2);
    if (!(lr >= 0) || !(eps > 0) || !(weightDecay >= 0)) {
      throw new IllegalArgumentException(String.format(
          "AdamW needs lr >= 0, eps > 0, weightDecay >= 0; got lr=%s eps=%s weightDecay=%s", lr, eps, weightDecay));
    }
    NativeRuntime.init();
    AdamWOptions o = new AdamWOptions(lr);
    setBetas(o, beta1, beta2);
    o.eps().put(eps);
    o.weight_decay().put(weightDecay);
    TensorVector v = new TensorVector(params.toArray(new Tensor[0]));
    return new AdamW(v, o);
  }

  /** Writes (beta1, beta2) into options in the bindings' reversed tuple layout. */
  public static void setBetas(AdamWOptions o, double beta1, double beta2) {
    o.betas().put(0, beta2).put(1, beta1);
  }

  /** The (beta1, beta2) an optimizer's first parameter group will actually use. */
  public static double[] betasInEffect(AdamW opt) {
    AdamWOptions o = new AdamWOptions(opt.param_groups().get(0).options());
    return new double[] {o.betas().get(1), o.betas().get(0)};
  }

  /** Sets the learning rate of every parameter group (schedules call this between steps). */
  public static void setLearningRate(AdamW opt, double lr) {
    for (long i = 0; i < opt.param_groups().size(); i++) {
      opt.param_groups().get(i).options().set_lr(lr);
    }
  }

  static void checkBetasLayout() {
    double[] stored = NativeRuntime.defaultBetasAsStored();
    // libtorch's default is (beta1, beta2) = (0.9, 0.999); reversed storage reads back 0.999 first.
    if (stored[0] != 0.999 || stored[1] != 0.9) {
      throw new IllegalStateException(String.format(
          "Unexpected AdamW betas layout in these bindings: default reads back [%s, %s], expected the "
              + "reversed [0.999, 0.9]. AdamWFactory would set the wrong betas; update it for this presets version.",
          stored[0], stored[1]));
    }
  }

  private static void checkRange(String name, double beta) {
    if (!(beta >= 0 && beta < 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), got " + beta);
    }
  }
}
