package io.github.argrpo.models.llamagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.assertj.core.api.Assertions;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.grpo.AdamWFactory;
import io.github.argrpo.core.policy.LogProbSource;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.weights.SafetensorsFile;

/** Frozen copies, weight copying, export and reload, precision, and the train loss. */
class PolicyLifecycleTest {

  private static final List<Condition> CONDS = List.of(Condition.ofClass(1), Condition.ofClass(6));

  private static Tensor tokens(LlamaGenPolicy p, long seed) {
    try (Rollouts r = p.sample(CONDS, 1, SamplingConfig.arGrpo().withSeed(seed))) {
      Tensor t = r.tokens().clone();
      return t;
    }
  }

  @Test
  void frozenCopyIsEqualThenIndependentAndHasNoGradients() {
    try (LlamaGenPolicy p = TinyGpt.policy(TinyGpt.c2i(Precision.FP32), 3); PointerScope s = new PointerScope()) {
      p.setTraining(false);
      Tensor t = tokens(p, 1);
      try (LlamaGenPolicy ref = p.frozenCopy()) {
        assertThat(ref.trainableParameters()).isEmpty();
        assertThat(p.trainableParameters()).hasSize(p.namedParameters().size());
        try (NoGradGuard g = new NoGradGuard()) {
          assertThat(TensorAsserts.maxAbsDiff(ref.logits(CONDS, t), p.logits(CONDS, t))).isZero();
          p.namedParameters().get("norm.weight").mul_(new Scalar(2.0));
          assertThat(TensorAsserts.maxAbsDiff(ref.logits(CONDS, t), p.logits(CONDS, t))).isGreaterThan(1e-3);
          ref.loadParametersFrom(p);
          assertThat(TensorAsserts.maxAbsDiff(ref.logits(CONDS, t), p.logits(CONDS, t))).isZero();
        }
      }
    }
  }

  @Test
  void exportedSafetensorsReloadToTheSameModel(@TempDir Path dir) throws Exception {
    GptConfig c = TinyGpt.t2i(Precision.FP32);
    Path file = dir.resolve("gpt.safetensors");
    List<Condition> conds = List.of(TinyGpt.text(c.captionDim(), 7, 5));
    try (LlamaGenPolicy p = TinyGpt.policy(c, 11); PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      p.saveSafetensors(file);
      try (SafetensorsFile f = SafetensorsFile.open(file)) {
        // reference key names, including the t2i buffer
        assertThat(f.keys()).contains("cls_embedding.uncond_embedding", "cls_embedding.cap_proj.fc1.weight",
            "layers.1.attention.wqkv.weight", "layers.0.feed_forward.w3.weight", "norm.weight", "output.weight");
        assertThat(f.keys()).hasSize(p.stateDict().size());
      }
      try (LlamaGenPolicy q = LlamaGenPolicy.load(c, file, DeviceSpec.CPU)) {
        Tensor t = torch.randint(c.vocabSize(), new long[] {1, c.blockSize()});
        assertThat(TensorAsserts.maxAbsDiff(q.logits(conds, t), p.logits(conds, t))).isZero();
      }
      GptConfig other = c.toBuilder().c2i().build();
      assertThatThrownBy(() -> LlamaGenPolicy.load(other, file, DeviceSpec.CPU))
          .hasMessageContaining("missing from the file (1): [cls_embedding.embedding_table.weight]")
          .hasMessageContaining("cls_embedding.cap_proj.fc1.weight");
    }
    assertThat(Files.size(file)).isGreaterThan(0);
  }

  @Test
  void bf16AgreesWithFp32WithinBf16Precision() {
    try (LlamaGenPolicy fp32 = TinyGpt.policy(TinyGpt.c2i(Precision.FP32), 21);
        LlamaGenPolicy bf16 = LlamaGenPolicy.create(TinyGpt.c2i(Precision.BF16), DeviceSpec.CPU);
        PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      fp32.setTraining(false);
      bf16.setTraining(false);
      bf16.loadParametersFrom(fp32);
      assertThat(bf16.namedParameters().get("output.weight").scalar_type().intern())
          .isEqualTo(torch.ScalarType.BFloat16);
      Tensor t = tokens(fp32, 4);
      Tensor a = fp32.tokenLogProbs(CONDS, t, LogProbSource.CONDITIONAL, SamplingConfig.plain());
      Tensor b = bf16.tokenLogProbs(CONDS, t, LogProbSource.CONDITIONAL, SamplingConfig.plain());
      assertThat(b.scalar_type().intern()).isEqualTo(torch.ScalarType.Float);
      // Stated tolerance. bf16 keeps 8 mantissa bits (relative step 2^-8 = 0.4%), and the error of the
      // logits grows with the magnitude of the terms that cancel in each dot product. On this random
      // model (weights N(0, 0.3^2)) the measured gap is 5.8% of the largest |logit| and 0.035 mean
      // |log-prob| difference; the bounds are 10% and 0.06.
      Tensor la = fp32.logits(CONDS, t);
      Tensor lb = bf16.logits(CONDS, t);
      double scale = la.abs().max().item_double();
      double maxLogitDiff = TensorAsserts.maxAbsDiff(la, lb);
      double meanLogProbDiff = a.sub(b).abs().mean().item_double();
      System.out.printf("bf16 vs fp32: max |logit diff| %.4f of max |logit| %.2f (%.2f%%), mean |log-prob diff| %.4f%n",
          maxLogitDiff, scale, 100 * maxLogitDiff / scale, meanLogProbDiff);
      assertThat(maxLogitDiff).isLessThan(0.10 * scale);
      assertThat(meanLogProbDiff).isLessThan(0.06);
      assertThat(maxLogitDiff).as("bf16 really ran in bf16").isGreaterThan(0.0);
      // bf16 sampling runs end to end through the same code (RoPE and RMSNorm in fp32 inside)
      try (Rollouts r = bf16.sample(CONDS, 2, SamplingConfig.arGrpo())) {
        assertThat(r.tokensAsArray()[0]).hasSize(16);
      }
    }
  }

  @Test
  void trainLossIsTheMeanNegativeLogLikelihoodAndTrainsTheModel() {
    try (LlamaGenPolicy p = TinyGpt.policy(TinyGpt.c2i(Precision.FP32), 8); PointerScope s = new PointerScope()) {
      p.setTraining(false);
      Tensor t = tokens(p, 2);
      try (NoGradGuard g = new NoGradGuard()) {
        double loss = p.trainLoss(CONDS, t).item_double();
        double nll = -p.tokenLogProbs(CONDS, t, LogProbSource.CONDITIONAL, SamplingConfig.plain()).mean().item_double();
        assertThat(loss).isCloseTo(nll, Assertions.within(1e-5));
      }
      var opt = AdamWFactory.create(p.trainableParameters(), 3e-3, 0.9, 0.95, 1e-8, 0.0);
      double first = 0;
      double last = 0;
      for (int i = 0; i < 15; i++) {
        try (PointerScope step = new PointerScope()) {
          opt.zero_grad(true);
          Tensor loss = p.trainLoss(CONDS, t);
          loss.backward();
          opt.step();
          if (i == 0) {
            first = loss.item_double();
          }
          last = loss.item_double();
        }
      }
      opt.close();
      assertThat(last).as("loss after 15 AdamW steps on one batch").isLessThan(first * 0.7);
    }
  }

  @Test
  void modelsBuiltInsideAScopeSurviveIt() {
    LlamaGenPolicy p;
    try (PointerScope s = new PointerScope()) {
      p = LlamaGenPolicy.create(TinyGpt.c2i(Precision.FP32), DeviceSpec.CPU);
    }
    try (LlamaGenPolicy q = p; Rollouts r = q.sample(CONDS, 1, SamplingConfig.arGrpo())) {
      assertThat(r.size()).isEqualTo(2);
    }
  }

  @Test
  void closeFreesTheWeightsAndRefusesFurtherUse() {
    LlamaGenPolicy p = TinyGpt.policy(TinyGpt.c2i(Precision.FP32), 3);
    Tensor weight = p.model().stateDict().get("tok_embeddings.weight");
    assertThat(weight.numel()).isPositive();
    p.close();
    assertThat(weight.numel()).isZero();
    assertThatThrownBy(() -> tokens(p, 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    p.close();
  }
}
