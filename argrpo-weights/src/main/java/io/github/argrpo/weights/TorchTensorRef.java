package io.github.argrpo.weights;

import java.util.Arrays;

/**
 * A tensor as {@code torch._utils._rebuild_tensor_v2} (or {@code _v3}) describes it: a strided view
 * into a storage.
 *
 * @param storage the storage it views
 * @param dtype the tensor's element type: the storage's for {@code _v2}; for {@code _v3} the dtype
 *     argument, over an untyped (byte) storage
 * @param offset the storage offset, in elements of {@code dtype}
 * @param size the shape
 * @param stride the strides, in elements of {@code dtype}
 */
record TorchTensorRef(TorchStorageRef storage, SafetensorsDtype dtype, long offset, long[] size, long[] stride) {

  /** The storage's length in elements of {@code dtype} (bytes of an untyped storage divided by the item size). */
  long storageElements() {
    if (storage.dtype() == dtype) {
      return storage.numel();
    }
    return storage.numel() * storage.dtype().byteSize() / dtype.byteSize();
  }

  /** The number of elements. */
  long numel() {
    long n = 1;
    for (long d : size) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** Whether the view is a row-major contiguous run of the storage (dimensions of size 1 ignored). */
  boolean contiguous() {
    long expected = 1;
    for (int i = size.length - 1; i >= 0; i--) {
      if (size[i] != 1 && stride[i] != expected) {
        return false;
      }
      expected = Math.multiplyExact(expected, size[i]);
    }
    return true;
  }

  /**
   * The lowest and one past the highest storage element the view touches, {@code [lo, hi)}; empty
   * ({@code lo == hi}) for a tensor without elements.
   */
  long[] span() {
    for (long d : size) {
      if (d == 0) {
        return new long[] {offset, offset};
      }
    }
    long hi = offset;
    for (int i = 0; i < size.length; i++) {
      hi = Math.addExact(hi, Math.multiplyExact(size[i] - 1, stride[i]));
    }
    return new long[] {offset, Math.addExact(hi, 1)};
  }

  @Override
  public String toString() {
    return storage.typeName() + "[" + storage.key() + "] offset " + offset + " size "
        + Arrays.toString(size) + " stride " + Arrays.toString(stride);
  }
}
