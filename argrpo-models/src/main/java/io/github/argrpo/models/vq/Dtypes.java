package io.github.argrpo.models.vq;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Dtype tests that work with the bindings.
 *
 * <p>Binding pitfall: {@code Tensor.scalar_type()} returns a fresh enum object built by JNI, not the
 * {@code ScalarType.Float} constant, so {@code t.scalar_type() == ScalarType.Float} is false even for a
 * float tensor (verified with 2.10.0-1.5.13). Compare the native {@code value} codes instead.
 */
final class Dtypes {

  private Dtypes() {}

  /** Whether {@code t} has dtype {@code type}. */
  static boolean is(Tensor t, ScalarType type) {
    return t.scalar_type().value == type.value;
  }

  /** The {@link ScalarType} constant of {@code t}'s dtype (safe to compare with {@code ==} and pass on). */
  static ScalarType of(Tensor t) {
    byte v = t.scalar_type().value;
    for (ScalarType s : ScalarType.values()) {
      if (s.value == v) {
        return s;
      }
    }
    throw new IllegalStateException("unknown scalar type code " + v);
  }
}
