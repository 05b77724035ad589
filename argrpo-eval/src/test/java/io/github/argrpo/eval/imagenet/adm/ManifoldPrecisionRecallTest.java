package io.github.argrpo.eval.imagenet.adm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Precision and recall on 1-D points worked by hand (k = 3: the radius is the 4th smallest squared
 * distance of a point's row, itself included).
 *
 * <p>ref = {0, 1, 2, 3, 4}: radii 9, 4, 4, 4, 9. sample = {2.5, 20, 21, 22, 23}: radii 380.25, 9, 4, 4,
 * 9. Only 2.5 lies within a reference radius (0.25 from 2), so precision = 1/5; the sample radius of 2.5
 * (380.25) covers every reference point, so recall = 1. All values are exact in float16.
 */
class ManifoldPrecisionRecallTest {

  private static FeatureMatrix points(double scale, double... x) {
    float[] d = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = (float) (x[i] * scale);
    }
    return new FeatureMatrix(d, x.length, 1);
  }

  @Test
  void handWorkedOneDimensionalSetsOnBothPaths() {
    for (DistancePath p : DistancePath.values()) {
      ManifoldPrecisionRecall.Result r = ManifoldPrecisionRecall.defaults(p)
          .compute(points(1, 0, 1, 2, 3, 4), points(1, 2.5, 20, 21, 22, 23));
      assertThat(r.refRadii()).containsExactly(9f, 4f, 4f, 4f, 9f);
      assertThat(r.sampleRadii()).containsExactly(380.25f, 9f, 4f, 4f, 9f);
      assertThat(r.precision()).isEqualTo(0.2);
      assertThat(r.recall()).isEqualTo(1.0);
      assertThat(r.fp32FallbackBlocks()).isZero();
    }
  }

  @Test
  void blocksThatOverflowFloat16FallBackToFloat32() {
    // scaled by 100, squared norms reach 2300^2 > 65504: every fp16 block overflows and is redone in fp32
    ManifoldPrecisionRecall.Result r = ManifoldPrecisionRecall.defaults(DistancePath.FP16)
        .compute(points(100, 0, 1, 2, 3, 4), points(100, 2.5, 20, 21, 22, 23));
    assertThat(r.fp32FallbackBlocks()).isPositive();
    assertThat(r.refRadii()).containsExactly(90000f, 40000f, 40000f, 40000f, 90000f);
    assertThat(r.precision()).isEqualTo(0.2);
    assertThat(r.recall()).isEqualTo(1.0);
  }

  @Test
  void smallBlocksGiveTheSameDecisionsAsOneBlock() {
    ManifoldPrecisionRecall.Result r = new ManifoldPrecisionRecall(3, 2, 3, DistancePath.FP16)
        .compute(points(1, 0, 1, 2, 3, 4), points(1, 2.5, 20, 21, 22, 23));
    assertThat(r.sampleRadii()).containsExactly(380.25f, 9f, 4f, 4f, 9f);
    assertThat(r.precision()).isEqualTo(0.2);
    assertThat(r.recall()).isEqualTo(1.0);
  }
}
