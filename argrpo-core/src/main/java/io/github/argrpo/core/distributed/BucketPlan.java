package io.github.argrpo.core.distributed;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.bytedeco.pytorch.Tensor;

/**
 * Splits a list of tensors, in order, into buckets of at most a given number of bytes, so that
 * gradients (or weights) travel as a few large flat messages instead of one small message per
 * parameter (DDP's {@code bucket_cap_mb}). A tensor larger than the cap gets a bucket of its own;
 * a bucket only holds one dtype and one device, because it is flattened into one tensor.
 *
 * <p>Every rank computes the same plan from the same model, so the buckets line up across ranks.
 */
final class BucketPlan {

  private BucketPlan() {}

  /** A half-open range {@code [from, to)} of tensor indices and its size in bytes. */
  record Bucket(int from, int to, long bytes) {
    int count() {
      return to - from;
    }
  }

  /** The plan for live tensors (sizes from {@code numel * element size}, keys from dtype and device). */
  static List<Bucket> of(List<Tensor> tensors, long capBytes) {
    long[] bytes = new long[tensors.size()];
    Object[] keys = new Object[tensors.size()];
    for (int i = 0; i < bytes.length; i++) {
      Tensor t = tensors.get(i);
      bytes[i] = t.numel() * t.element_size();
      // the dtype's numeric value: the enum instances the bindings return are not the interned
      // constants (scalar_type() != ScalarType.Float, and toString() carries an identity hash)
      keys[i] = t.scalar_type().value + "@" + t.device().str().getString();
    }
    return plan(bytes, keys, capBytes);
  }

  /**
   * The plan for tensors of {@code bytes[i]} bytes and grouping keys {@code keys[i]}: consecutive
   * tensors share a bucket while the key is unchanged and the bucket stays within {@code capBytes}.
   */
  static List<Bucket> plan(long[] bytes, Object[] keys, long capBytes) {
    checkArgument(capBytes > 0, "bucket cap must be > 0 bytes, got %s", capBytes);
    checkArgument(bytes.length == keys.length, "%s sizes but %s keys", bytes.length, keys.length);
    List<Bucket> out = new ArrayList<>();
    int from = 0;
    long size = 0;
    for (int i = 0; i < bytes.length; i++) {
      checkArgument(bytes[i] >= 0, "tensor %s has a negative size %s", i, bytes[i]);
      boolean sameKey = i == from || Objects.equals(keys[i], keys[from]);
      if (i > from && (!sameKey || size + bytes[i] > capBytes)) {
        out.add(new Bucket(from, i, size));
        from = i;
        size = 0;
      }
      size += bytes[i];
    }
    if (bytes.length > from) {
      out.add(new Bucket(from, bytes.length, size));
    }
    return out;
  }
}
