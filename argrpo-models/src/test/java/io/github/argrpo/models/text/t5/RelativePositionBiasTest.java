package io.github.argrpo.models.text.t5;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.runtime.LongLived;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.weights.SafetensorsFile;

/** The bucketing by hand, against PyTorch's tables, and the bias layout. */
class RelativePositionBiasTest {

  @BeforeAll
  static void init() {
    NativeRuntime.init();
  }

  private static int b(int rel) {
    return RelativePositionBias.bucket(rel, true, 32, 128);
  }

  /**
   * 32 buckets, distance 128, bidirectional: 16 per direction (keys after the query get +16),
   * distances 0..7 exact, then 8 + floor(ln(d / 8) / ln(16) * 8) capped at 15.
   */
  @Test
  void bidirectionalBucketsWorkedByHand() {
    assertThat(b(0)).isZero();
    assertThat(b(1)).isEqualTo(17);           // 16 + 1
    assertThat(b(-1)).isEqualTo(1);
    assertThat(b(7)).isEqualTo(23);           // last exact: 16 + 7
    assertThat(b(-7)).isEqualTo(7);
    assertThat(b(8)).isEqualTo(24);           // 16 + 8 + floor(ln 1 ...) = 24
    assertThat(b(-8)).isEqualTo(8);
    assertThat(b(12)).isEqualTo(25);          // ln(1.5)/ln(16)*8 = 1.17 -> 8 + 1, + 16
    assertThat(b(16)).isEqualTo(26);          // ln 2 / ln 16 * 8 = 2 exactly -> 10, + 16
    assertThat(b(-16)).isEqualTo(10);
    assertThat(b(64)).isEqualTo(30);          // ln 8 / ln 16 * 8 = 6 -> 14, + 16
    assertThat(b(90)).isEqualTo(30);          // ln(11.25)/ln 16 * 8 = 6.98 -> 14
    assertThat(b(91)).isEqualTo(31);          // ln(11.375)/ln 16 * 8 = 7.02 -> 15
    assertThat(b(128)).isEqualTo(31);         // 8 + 8 = 16, capped at 15
    assertThat(b(-128)).isEqualTo(15);
    assertThat(b(100_000)).isEqualTo(31);
    assertThat(b(-100_000)).isEqualTo(15);
  }

  @Test
  void unidirectionalBucketsIgnoreKeysAfterTheQuery() {
    // decoder style: 32 buckets for distances to earlier keys, 16 exact
    assertThat(RelativePositionBias.bucket(5, false, 32, 128)).isZero();
    assertThat(RelativePositionBias.bucket(-5, false, 32, 128)).isEqualTo(5);
    assertThat(RelativePositionBias.bucket(-16, false, 32, 128)).isEqualTo(16); // ln 1 -> 16
    assertThat(RelativePositionBias.bucket(-1000, false, 32, 128)).isEqualTo(31);
  }

  /** The fixture holds PyTorch's tables (the reference's float32 code) for several configurations. */
  @Test
  void bucketsMatchPyTorchForSeveralConfigs() throws IOException {
    int[][] configs = {{32, 128}, {32, 64}, {16, 20}, {8, 16}, {64, 256}, {12, 50}};
    try (SafetensorsFile f = SafetensorsFile.open(T5Fixtures.cases()); PointerScope s = new PointerScope()) {
      for (int[] c : configs) {
        Tensor t = f.read("buckets." + c[0] + "_" + c[1]).to(torch.ScalarType.Long);
        long[] expected = new long[(int) t.numel()];
        t.contiguous().data_ptr_long().get(expected);
        int range = (expected.length - 1) / 2;
        for (int rel = -range; rel <= range; rel++) {
          assertThat(RelativePositionBias.bucket(rel, true, c[0], c[1]))
              .as("bucket of %d with %d buckets, distance %d", rel, c[0], c[1])
              .isEqualTo((int) expected[rel + range]);
        }
      }
    }
  }

  @Test
  void biasIsTheTableEntryOfEachPairsBucket() {
    RelativePositionBias bias = LongLived.build(() -> new RelativePositionBias(32, 3, 128));
    try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      bias.weight().copy_(torch.randn(32, 3));
      int length = 140;
      Tensor out = bias.forward(length);
      assertThat(out.shape()).containsExactly(1, 3, length, length);
      for (int[] qk : new int[][] {{0, 0}, {0, 1}, {1, 0}, {5, 139}, {139, 0}, {70, 80}}) {
        int bucket = RelativePositionBias.bucket(qk[1] - qk[0], true, 32, 128);
        for (int h = 0; h < 3; h++) {
          assertThat(out.select(0, 0).select(0, h).select(0, qk[0]).select(0, qk[1]).item_float())
              .isEqualTo(bias.weight().select(0, bucket).select(0, h).item_float());
        }
      }
    }
  }
}
