package io.github.argrpo.core.grpo;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.OptimizerParamGroup;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

import io.github.argrpo.core.runtime.NativeRuntime;

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
   * A new AdamW over {@code params}, weight decay on every parameter. The optimizer owns native memory:
   * build it outside any {@code PointerScope} and {@code close()} it when training ends.
   *
   * @param lr learning rate
   * @param beta1 first-moment decay (the paper: 0.9)
   * @param beta2 second-moment decay (the paper: 0.95)
   * @param eps denominator epsilon (1e-8)
   * @param weightDecay decoupled weight decay (the paper: 0.05)
   */
  public static AdamW create(List<Tensor> params, double lr, double beta1, double beta2, double eps,
      double weightDecay) {
    return create(params, lr, beta1, beta2, eps, weightDecay, WeightDecayScope.ALL);
  }

  /**
   * A new AdamW over {@code params} with weight decay on the parameters {@code scope} names. With
   * {@link WeightDecayScope#MATRICES} the parameters of fewer than two dimensions form a second
   * parameter group whose weight decay is 0 (the first group holds the matrices; a group is left out
   * when it would be empty).
   */
  public static AdamW create(List<Tensor> params, double lr, double beta1, double beta2, double eps,
      double weightDecay, WeightDecayScope scope) {
    checkRange("beta1", beta1);
    checkRange("beta2", beta2);
    checkArgument(lr >= 0 && eps > 0 && weightDecay >= 0,
        "AdamW needs lr >= 0, eps > 0, weightDecay >= 0; got lr=%s eps=%s weightDecay=%s", lr, eps, weightDecay);
    checkArgument(scope != null, "the weight-decay scope must not be null (all or matrices)");
    NativeRuntime.init();
    List<Tensor> decayed = new ArrayList<>();
    List<Tensor> exempt = new ArrayList<>();
    for (Tensor p : params) {
      (scope == WeightDecayScope.MATRICES && p.dim() < 2 ? exempt : decayed).add(p);
    }
    boolean onlyExempt = decayed.isEmpty() && !exempt.isEmpty();
    AdamWOptions o = new AdamWOptions(lr);
    setBetas(o, beta1, beta2);
    o.eps().put(eps);
    o.weight_decay().put(onlyExempt ? 0.0 : weightDecay);
    AdamW opt = new AdamW(new TensorVector((onlyExempt ? exempt : decayed).toArray(new Tensor[0])), o);
    if (!onlyExempt && !exempt.isEmpty()) {
      // a group without options gets a clone of the defaults; its weight decay is then zeroed in place
      // (passing options to the group constructor would hand their ownership to C++ twice)
      opt.add_param_group(new OptimizerParamGroup(new TensorVector(exempt.toArray(new Tensor[0]))));
      long last = opt.param_groups().size() - 1;
      new AdamWOptions(opt.param_groups().get(last).options()).weight_decay().put(0.0);
    }
    return opt;
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

  /** The learning rate of the first parameter group. */
  public static double learningRate(AdamW opt) {
    return opt.param_groups().get(0).options().get_lr();
  }

  /** Sets the learning rate of every parameter group (schedules call this between steps). */
  public static void setLearningRate(AdamW opt, double lr) {
    for (long i = 0; i < opt.param_groups().size(); i++) {
      opt.param_groups().get(i).options().set_lr(lr);
    }
  }

  private static void checkRange(String name, double beta) {
    checkArgument(beta >= 0 && beta < 1, "%s must be in [0, 1), got %s", name, beta);
  }
}
