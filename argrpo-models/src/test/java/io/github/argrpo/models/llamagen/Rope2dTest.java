package io.github.argrpo.models.llamagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.runtime.NativeRuntime;

class Rope2dTest {

  @BeforeAll
  static void init() {
    NativeRuntime.init();
  }

  @Test
  void tableFollowsTheClosedFormWithZeroConditionRows() {
    int grid = 5;
    int hd = 12; // 3 frequencies per axis
    int cls = 2;
    try (PointerScope s = new PointerScope()) {
      Tensor[] cs = Rope2d.cosSin(grid, hd, 10000, cls);
      float[] cos = TensorAsserts.floats(cs[0]);
      float[] sin = TensorAsserts.floats(cs[1]);
      int half = hd / 2;
      assertThat(cs[0].shape()).containsExactly(cls + grid * grid, half);
      for (int p = 0; p < cls + grid * grid; p++) {
        for (int j = 0; j < half; j++) {
          double expectedCos = 0;
          double expectedSin = 0;
          if (p >= cls) {
            int n = p - cls;
            int axis = j < half / 2 ? n / grid : n % grid; // first half: row, second half: column
            int k = j % (half / 2);
            double angle = axis * Math.pow(10000, -2.0 * k / half);
            expectedCos = Math.cos(angle);
            expectedSin = Math.sin(angle);
          }
          assertThat((double) cos[p * half + j]).as("cos[%d,%d]", p, j).isCloseTo(expectedCos, within(1e-5));
          assertThat((double) sin[p * half + j]).as("sin[%d,%d]", p, j).isCloseTo(expectedSin, within(1e-5));
        }
      }
    }
  }

  @Test
  void rotatesAdjacentPairsAndZeroesConditionTokens() {
    int grid = 4;
    int hd = 8;
    int cls = 1;
    Rope2d rope = new Rope2d(grid, hd, 10000, cls, new Device("cpu"));
    try (PointerScope s = new PointerScope()) {
      Tensor x = torch.randn(2, cls + grid * grid, 3, hd);
      Tensor y = rope.rotate(x, 0);
      // condition position: q and k become exactly zero (LlamaGen issue #54)
      assertThat(y.narrow(1, 0, cls).abs().max().item_float()).isZero();
      // image token 0 sits at grid (0, 0): identity rotation
      assertThat(TensorAsserts.maxAbsDiff(y.narrow(1, cls, 1), x.narrow(1, cls, 1))).isZero();
      // each adjacent pair (2j, 2j+1) keeps its norm: a rotation of interleaved pairs
      Tensor pairsX = x.narrow(1, cls, grid * grid).reshape(-1, 2).pow(new Scalar(2)).sum(new long[] {1});
      Tensor pairsY = y.narrow(1, cls, grid * grid).reshape(-1, 2).pow(new Scalar(2)).sum(new long[] {1});
      assertThat(TensorAsserts.maxAbsDiff(pairsX, pairsY)).isLessThan(1e-5);
      // token 5 = row 1, col 1; pair 0 rotates by row*freq0 = 1 rad: (1, 0) -> (cos 1, sin 1)
      Tensor e0 = torch.zeros(1, 1, 1, hd);
      e0.narrow(3, 0, 1).fill_(new Scalar(1.0));
      float[] r = TensorAsserts.floats(rope.rotate(e0, cls + 5));
      assertThat((double) r[0]).isCloseTo(Math.cos(1), within(1e-6));
      assertThat((double) r[1]).isCloseTo(Math.sin(1), within(1e-6));
      // a bf16 input comes back bf16, rotated in fp32
      assertThat(rope.rotate(x.to(ScalarType.BFloat16), 0).scalar_type().intern()).isEqualTo(ScalarType.BFloat16);
    } finally {
      rope.close();
    }
  }
}
