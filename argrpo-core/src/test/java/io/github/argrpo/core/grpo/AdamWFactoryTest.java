package io.github.argrpo.core.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.Tensor;
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
          p.pow(new org.bytedeco.pytorch.Scalar(2.0)).mul(Tensor.create(new float[] {1f, 2f, 3f}, 3)).sum().backward();
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

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> AdamWFactory.create(List.of(), 1e-3, 1.0, 0.9, 1e-8, 0)).hasMessageContaining("beta1");
    assertThatThrownBy(() -> AdamWFactory.create(List.of(), -1, 0.9, 0.9, 1e-8, 0)).hasMessageContaining("lr >= 0");
  }

  @Test
  void runtimeUsesAllProcessorsUnlessTold() {
    NativeRuntime.init();
    assertThat(NativeRuntime.threads()).isGreaterThanOrEqualTo(1);
    assertThat(org.bytedeco.pytorch.global.torch.get_num_threads()).isEqualTo(NativeRuntime.threads());
    assertThat(System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes")).isEqualTo("0");
  }
}
