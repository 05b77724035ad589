package io.github.argrpo.models.vq;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.runtime.NativeRuntime;

/** GroupNorm in fp32 matches a hand computation; in bf16 it is off by no more than the final bf16 rounding. */
class NormalizeTest {

  @BeforeAll
  static void init() {
    NativeRuntime.init();
  }

  @Test
  void fp32MatchesTheDefinition() {
    Normalize n = new Normalize(64, 32, 1e-6);
    try (PointerScope ignored = new PointerScope()) {
      torch.manual_seed(1);
      Tensor x = torch.randn(2, 64, 5, 7);
      Tensor y = n.forward(x);
      // per (batch, group of 2 channels): (x - mean) / sqrt(var + eps), biased variance
      Tensor g = x.reshape(2, 32, -1).to(ScalarType.Double);
      Tensor mean = g.mean(new long[] {2}, true, new ScalarTypeOptional());
      Tensor var = g.sub(mean).pow(new Scalar(2)).mean(new long[] {2}, true, new ScalarTypeOptional());
      Tensor want = g.sub(mean).div(var.add(new Scalar(1e-6)).sqrt()).reshape(2, 64, 5, 7);
      assertThat(y.to(ScalarType.Double).sub(want).abs().max().item_double()).isLessThan(1e-5);
    } finally {
      n.close();
    }
  }

  @Test
  void bf16KeepsItsStatisticsInFp32() {
    Normalize n = new Normalize(128, 32, 1e-6);
    n.to(ScalarType.BFloat16, false);
    try (PointerScope ignored = new PointerScope()) {
      torch.manual_seed(2);
      // a large offset and a large group (4 x 64 x 64 = 16384 values): bf16 statistics would be far off
      Tensor x = torch.randn(1, 128, 64, 64).add(new Scalar(30)).to(ScalarType.BFloat16);
      Tensor y = n.forward(x);
      assertThat(Dtypes.is(y, ScalarType.BFloat16)).isTrue();
      Normalize ref = new Normalize(128, 32, 1e-6);
      Tensor want = ref.forward(x.to(ScalarType.Float));
      ref.close();
      // only the output rounding to bf16 remains: |err| <= 2^-8 * |y| (+ a tiny absolute slack)
      Tensor err = y.to(ScalarType.Float).sub(want).abs();
      Tensor bound = want.abs().mul(new Scalar(1.0 / 256)).add(new Scalar(1e-3));
      assertThat(err.gt(bound).sum().item().toLong()).isZero();
    } finally {
      n.close();
    }
  }
}
