package io.github.argrpo.weights;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import java.util.Objects;

/**
 * Name, dtype and shape of a stored tensor.
 *
 * @param name the key in the file (the reference state-dict name)
 * @param dtype the safetensors dtype name: {@code "F32"}, {@code "BF16"}, {@code "F16"},
 *     {@code "I64"}, ... (see {@link SafetensorsDtype})
 * @param shape the dimensions, empty for a scalar; defensively copied
 */
public record TensorInfo(String name, String dtype, long[] shape) {

  /** Validates and copies the shape. */
  public TensorInfo {
    checkNotNull(name, "name");
    checkNotNull(dtype, "dtype");
    checkNotNull(shape, "shape");
    shape = shape.clone();
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "shape of " + name + " must have dimensions >= 0, got " + Arrays.toString(shape));
      }
    }
  }

  /** A copy of the dimensions. */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The number of elements (product of the dimensions, 1 for a scalar). */
  public long numel() {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t
        && name.equals(t.name)
        && dtype.equals(t.dtype)
        && Arrays.equals(shape, t.shape);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape));
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape);
  }
}
