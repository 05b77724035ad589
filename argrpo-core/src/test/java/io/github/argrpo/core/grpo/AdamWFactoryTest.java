package io.github.argrpo.core.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.runtime.NativeRuntime;

/** The betas in effect are the configured ones, despite the reversed tuple layout of the bindings. */
class AdamWFactoryTest {

  @Test
  void betasInEffectAreTheConfiguredOnes() {
    NativeRuntime.init();
    Tensor p = Tensor.create(new float[] {1f, -2f, 3f}, 3).set_requires_grad(true);
    p.retainReference();
    try (AdamW opt = AdamWFactory.create(List.of(p), 1e-3, 0.9, 0.95, 1e-8, 0.05)) {
      assertThat(AdamWFactory.betasInEffect(opt)).containsExactly(0.9, 0.95);
    }
  }

  @Test
  void threeStepsMatchAManualAdamWWithTheConfiguredBetas() {
    NativeRuntime.init();
    double lr = 0.1;
    double b1 = 0.9;
    double b2 = 0.95;
    double eps = 1e-8;
    double wd = 0.05;
    float[] init = {1f, -2f, 0.5f};
    Tensor p = Tensor.create(init.clone(), 3).set_requires_grad(true);
    p.retainReference();
    double[] x = {1, -2, 0.5};
    double[] m = new double[3];
    double[] v = new double[3];
    try (AdamW opt = AdamWFactory.create(List.of(p), lr, b1, b2, eps, wd)) {
      for (int step = 1; step <= 3; step++) {
        try (PointerScope s = new PointerScope()) {
          opt.zero_grad(true);
          // loss = sum(c * p^2) with c = (1, 2, 3): grad = 2 c p
          p.pow(new Scalar(2.0)).mul(Tensor.create(new float[] {1f, 2f, 3f}, 3)).sum().backward();
          opt.step();
        }
        for (int i = 0; i < 3; i++) {
          double g = 2 * (i + 1) * x[i];
          x[i] *= 1 - lr * wd;
          m[i] = b1 * m[i] + (1 - b1) * g;
          v[i] = b2 * v[i] + (1 - b2) * g * g;
          double mh = m[i] / (1 - Math.pow(b1, step));
          double vh = v[i] / (1 - Math.pow(b2, step));
          x[i] -= lr * mh / (Math.sqrt(vh) + eps);
        }
      }
      float[] got = new float[3];
      new FloatPointer(p.data_ptr_float()).get(got);
      for (int i = 0; i < 3; i++) {
        assertThat((double) got[i]).isCloseTo(x[i], within(1e-5));
      }
    }
  }

  /**
   * Two parameters, a 2-D weight with a gradient and a 1-D bias whose gradient is zero (defined), k
   * AdamW steps: with a zero gradient the moments stay 0 and only decoupled weight decay moves a
   * parameter, by (1 - lr * wd) per step (hand-worked).
   */
  private static float[] biasAfterSteps(WeightDecayScope scope, double lr, double wd, int k) {
    NativeRuntime.init();
    Tensor w = Tensor.create(new float[] {1f, 2f, 3f, 4f}, 2, 2).set_requires_grad(true);
    Tensor b = Tensor.create(new float[] {0.5f, -1f, 2f}, 3).set_requires_grad(true);
    w.retainReference();
    b.retainReference();
    try (AdamW opt = AdamWFactory.create(List.of(w, b), lr, 0.9, 0.95, 1e-8, wd, scope)) {
      for (int step = 0; step < k; step++) {
        try (PointerScope s = new PointerScope()) {
          opt.zero_grad(true);
          w.sum().add(b.sum().mul(new Scalar(0.0))).backward();
          opt.step();
        }
      }
      float[] out = new float[3];
      new FloatPointer(b.detach().contiguous().data_ptr_float()).get(out);
      return out;
    }
  }

  @Test
  void matricesScopeExemptsOneDimensionalParametersFromWeightDecay() {
    double lr = 0.1;
    double wd = 0.5;
    int k = 4;
    float[] exempt = biasAfterSteps(WeightDecayScope.MATRICES, lr, wd, k);
    assertThat(exempt).containsExactly(0.5f, -1f, 2f);
    float[] decayed = biasAfterSteps(WeightDecayScope.ALL, lr, wd, k);
    double factor = Math.pow(1 - lr * wd, k); // 0.95^4 = 0.81450625
    assertThat((double) decayed[0]).isCloseTo(0.5 * factor, within(1e-6));
    assertThat((double) decayed[1]).isCloseTo(-1 * factor, within(1e-6));
    assertThat((double) decayed[2]).isCloseTo(2 * factor, within(1e-6));
  }

  @Test
  void matricesScopeMakesASecondGroupWithTheSameBetasAndLearningRate() {
    NativeRuntime.init();
    Tensor w = Tensor.create(new float[] {1f, 2f, 3f, 4f}, 2, 2).set_requires_grad(true);
    Tensor b = Tensor.create(new float[] {0.5f}, 1).set_requires_grad(true);
    w.retainReference();
    b.retainReference();
    try (AdamW opt = AdamWFactory.create(List.of(w, b), 1e-3, 0.9, 0.95, 1e-8, 0.05, WeightDecayScope.MATRICES)) {
      assertThat(opt.param_groups().size()).isEqualTo(2);
      AdamWOptions exempt = new AdamWOptions(opt.param_groups().get(1).options());
      assertThat(exempt.weight_decay().get()).isZero();
      assertThat(new double[] {exempt.betas().get(1), exempt.betas().get(0)}).containsExactly(0.9, 0.95);
      assertThat(new AdamWOptions(opt.param_groups().get(0).options()).weight_decay().get()).isEqualTo(0.05);
      AdamWFactory.setLearningRate(opt, 0.25);
      assertThat(exempt.get_lr()).isEqualTo(0.25);
      assertThat(AdamWFactory.learningRate(opt)).isEqualTo(0.25);
    }
  }

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> AdamWFactory.create(List.of(), 1e-3, 1.0, 0.9, 1e-8, 0)).hasMessageContaining("beta1");
    assertThatThrownBy(() -> AdamWFactory.create(List.of(), -1, 0.9, 0.9, 1e-8, 0)).hasMessageContaining("lr >= 0");
  }

  @Test
  void runtimeUsesAllProcessorsUnlessTold() {
    NativeRuntime.init();
    assertThat(NativeRuntime.threads()).isGreaterThanOrEqualTo(1);
    assertThat(torch.get_num_threads()).isEqualTo(NativeRuntime.threads());
    assertThat(System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes")).isEqualTo("0");
  }
}
