package io.github.argrpo.models.llamagen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.condition.TextCondition;
import io.github.argrpo.core.condition.TextFeatures;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Precision;

/** Tiny random LlamaGen GPTs for fast tests, with weights large enough for spread-out logits. */
final class TinyGpt {

  private TinyGpt() {}

  /** c2i: dim 32, 2 layers, 4 heads (head_dim 8), 48 codes, 4x4 tokens, 10 classes. */
  static GptConfig c2i(Precision precision) {
    return GptConfig.builder().dim(32).nLayer(2).nHead(4).vocabSize(48).blockSize(16).numClasses(10)
        .multipleOf(32).dropout(0.0).precision(precision).build();
  }

  /** t2i: as {@link #c2i} with 120 caption tokens of width 12. */
  static GptConfig t2i(Precision precision) {
    return c2i(precision).toBuilder().t2i().captionDim(12).build();
  }

  /** A policy whose every parameter and buffer is N(0, 0.3^2) from {@code seed}. */
  static LlamaGenPolicy policy(GptConfig config, long seed) {
    NativeRuntime.init();
    LlamaGenPolicy p = LlamaGenPolicy.create(config, DeviceSpec.CPU);
    try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      torch.manual_seed(seed);
      for (Map.Entry<String, Tensor> e : p.stateDict().entrySet()) {
        Tensor t = e.getValue();
        if (t.dim() == 1) {
          t.copy_(torch.ones_like(t).add(torch.randn_like(t).mul(new Scalar(0.1))));
        } else {
          t.copy_(torch.randn_like(t).mul(new Scalar(0.3)));
        }
      }
    }
    return p;
  }

  /** A left-padded text condition with {@code valid} real tokens of random features. */
  static TextCondition text(int captionDim, int valid, long seed) {
    Random r = new Random(seed);
    int tokens = GptConfig.CAPTION_TOKENS;
    float[] v = new float[tokens * captionDim];
    boolean[] m = new boolean[tokens];
    for (int k = tokens - valid; k < tokens; k++) {
      m[k] = true;
      for (int d = 0; d < captionDim; d++) {
        v[k * captionDim + d] = (float) r.nextGaussian();
      }
    }
    return new TextCondition("prompt " + seed, new TextFeatures(v, tokens, captionDim, m));
  }

  /** Every condition repeated {@code groupSize} times, group by group. */
  static List<Condition> rows(List<? extends Condition> groups, int groupSize) {
    List<Condition> out = new ArrayList<>();
    for (Condition c : groups) {
      for (int i = 0; i < groupSize; i++) {
        out.add(c);
      }
    }
    return out;
  }
}
