package io.github.argrpo.models.llamagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.grpo.AdamWFactory;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.runtime.Precision;

/**
 * {@link GptConfig#bf16Autocast}: the GPT's passes under bf16 autocast over fp32 weights (AR-GRPO's c2i mixed
 * precision). The expectations come from what mixed precision means, not from this code: logits carry bf16
 * rounding (they differ from the fp32 model's by more than fp32 noise and by less than bf16's 2^-8 relative
 * step allows over two layers); parameters, gradients and AdamW's update stay fp32, so a first AdamW step moves
 * every weight by the learning rate (Adam's first step is {@code lr * g / (|g| + eps)}), a change of 1e-5 that a
 * bf16 weight of size 0.3 could not hold (its spacing there is 2^-9).
 */
class MixedPrecisionPolicyTest {

  private static final List<Condition> CONDS = List.of(Condition.ofClass(3), Condition.ofClass(7));

  private static GptConfig mixed() {
    return TinyGpt.c2i(Precision.FP32).toBuilder().bf16Autocast(true).build();
  }

  private static Tensor tokens() {
    torch.manual_seed(5);
    return torch.randint(48, new long[] {2, 16}, new GeneratorOptional(), new TensorOptions(ScalarType.Long));
  }

  @Test
  void logitsCarryBf16RoundingAndStayCloseToFp32() {
    try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard();
        LlamaGenPolicy fp32 = TinyGpt.policy(TinyGpt.c2i(Precision.FP32), 11);
        LlamaGenPolicy amp = TinyGpt.policy(mixed(), 11)) {
      Tensor t = tokens();
      Tensor a = fp32.logits(CONDS, t);
      Tensor b = amp.logits(CONDS, t);
      assertThat(b.scalar_type().intern()).isEqualTo(ScalarType.Float);
      double scale = a.abs().max().item_double();
      double diff = a.sub(b).abs().max().item_double() / scale;
      assertThat(diff).as("mixed logits must carry bf16 rounding").isGreaterThan(1e-4);
      assertThat(diff).as("and stay within a few bf16 steps of fp32").isLessThan(5e-2);
      // the decode loop runs under the same autocast: its log-probs differ from fp32 sampling's likewise
      SamplingConfig sc = SamplingConfig.arGrpo().withCfgScale(1.0).withSeed(3);
      try (Rollouts ra = fp32.sample(CONDS, 1, sc); Rollouts rb = amp.sample(CONDS, 1, sc)) {
        assertThat(rb.samplingLogProbs().scalar_type().intern()).isEqualTo(ScalarType.Float);
        double lp = ra.samplingLogProbs().narrow(1, 0, 1).sub(rb.samplingLogProbs().narrow(1, 0, 1)).abs().max().item_double();
        assertThat(lp).as("first-token log-probs of fp32 and mixed sampling").isGreaterThan(0.0).isLessThan(5e-2);
      }
    }
  }

  @Test
  void parametersGradientsAndTheAdamWUpdateStayFp32() {
    double lr = 1e-5;
    try (PointerScope s = new PointerScope(); LlamaGenPolicy amp = TinyGpt.policy(mixed(), 12)) {
      List<Tensor> params = amp.trainableParameters();
      List<Tensor> before = new ArrayList<>();
      for (Tensor p : params) {
        assertThat(p.scalar_type().intern()).isEqualTo(ScalarType.Float);
        before.add(p.detach().clone());
      }
      AdamW opt = AdamWFactory.create(params, lr, 0.9, 0.95, 1e-8, 0.0);
      Tensor loss = amp.trainLoss(CONDS, tokens());
      loss.backward();
      Tensor w = amp.model().namedParameterMap().get("layers.0.feed_forward.w1.weight");
      assertThat(w.grad().scalar_type().intern()).isEqualTo(ScalarType.Float);
      opt.step();
      Tensor before1 = before.get(params.indexOf(w));
      Tensor moved = w.detach().sub(before1).abs();
      // weights whose gradient is not tiny against eps move by lr within 1 %
      Tensor sizable = w.grad().abs().gt(new Scalar(1e-5));
      assertThat(sizable.sum().item_long()).isGreaterThan(100L);
      Tensor m = moved.masked_select(sizable);
      assertThat(m.min().item_double()).isGreaterThan(0.99 * lr);
      assertThat(m.max().item_double()).isLessThan(1.01 * lr);
      opt.close();
    }
  }

  @Test
  void autocastOverBf16WeightsIsRefusedWithTheFix() {
    assertThatThrownBy(() -> TinyGpt.c2i(Precision.BF16).toBuilder().bf16Autocast(true).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bf16 autocast runs over fp32 weights")
        .hasMessageContaining("use precision FP32 with bf16Autocast, or BF16 without it");
  }
}
