package io.github.argrpo.eval.imagenet.adm;

/**
 * IEEE binary16 rounding of a double, correctly rounded (round half to even, subnormals, overflow to
 * infinity), returned as the double holding the float16 value. Java 17 has no {@code Float.float16}
 * conversions, and going through {@code float} first would round twice.
 */
final class Fp16 {

  /** The largest finite float16. */
  static final double MAX = 65504.0;

  private Fp16() {}

  /** {@code x} rounded to the nearest float16 (ties to even). */
  static double round(double x) {
    if (x == 0.0 || !Double.isFinite(x)) {
      return x;
    }
    double a = Math.abs(x);
    // float16 has 10 fraction bits and a minimum normal exponent of -14; below that the spacing stays 2^-24.
    int e = Math.max(Math.getExponent(a), -14);
    double ulp = Math.scalb(1.0, e - 10);
    double r = Math.rint(a / ulp) * ulp;
    if (r > MAX) {
      r = Double.POSITIVE_INFINITY;
    }
    return Math.copySign(r, x);
  }
}
