package io.github.argrpo.eval.imagenet.adm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** IEEE binary16 rounding, against hand-worked values (10 fraction bits, ties to even, max 65504). */
class Fp16Test {

  @Test
  void roundsToNearestWithTiesToEven() {
    double ulp1 = Math.scalb(1.0, -10); // spacing of float16 in [1, 2)
    assertThat(Fp16.round(1 + ulp1 / 2)).isEqualTo(1.0); // tie, 1.0 has the even mantissa
    assertThat(Fp16.round(1 + 1.5 * ulp1)).isEqualTo(1 + 2 * ulp1); // tie, 1 + 2 ulp is even
    assertThat(Fp16.round(1 + 0.51 * ulp1)).isEqualTo(1 + ulp1);
    assertThat(Fp16.round(2049.0)).isEqualTo(2048.0); // spacing 2 in [2048, 4096): tie to even
    assertThat(Fp16.round(2051.0)).isEqualTo(2052.0);
    assertThat(Fp16.round(-2051.0)).isEqualTo(-2052.0);
    assertThat(Fp16.round(0.1)).isEqualTo(0.0999755859375); // 1638/16384, the float16 nearest 0.1
  }

  @Test
  void overflowsToInfinityAtTheMidpointAbove65504() {
    assertThat(Fp16.round(65504.0)).isEqualTo(65504.0);
    assertThat(Fp16.round(65519.99)).isEqualTo(65504.0);
    assertThat(Fp16.round(65520.0)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(Fp16.round(-1e6)).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void subnormalsHaveSpacingTwoToTheMinus24() {
    double tiny = Math.scalb(1.0, -24);
    assertThat(Fp16.round(tiny / 2)).isEqualTo(0.0); // tie between 0 and the smallest subnormal: 0 is even
    assertThat(Fp16.round(0.75 * tiny)).isEqualTo(tiny);
    assertThat(Fp16.round(2.5 * tiny)).isEqualTo(2 * tiny);
  }
}
