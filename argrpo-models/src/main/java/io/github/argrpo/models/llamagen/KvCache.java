package io.github.argrpo.models.llamagen;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * One attention layer's key/value cache for decoding: preallocated {@code (batch, heads, maxLength,
 * headDim)} key and value tensors in the model dtype, written in place.
 *
 * <p>Unlike the reference, which returns the whole {@code max_seq_length} cache and masks the empty
 * slots, {@link #update} returns views of the filled prefix only, so attention spans exactly the
 * positions written so far: same result, less work.
 *
 * <p>Ownership: the two tensors belong to the {@code PointerScope} that was open when the cache was
 * created (a generation call creates its caches in its own scope, around the per-step scopes).
 */
public final class KvCache {

  private final Tensor keys;
  private final Tensor values;
  private final long maxLength;

  /** A zeroed cache. */
  public KvCache(long batch, long heads, long maxLength, long headDim, ScalarType dtype, Device device) {
    TensorOptions o = new TensorOptions(dtype).device(new DeviceOptional(device));
    this.keys = torch.zeros(new long[] {batch, heads, maxLength, headDim}, o);
    this.values = torch.zeros(new long[] {batch, heads, maxLength, headDim}, o);
    this.maxLength = maxLength;
  }

  /**
   * Writes {@code k} and {@code v} {@code (B', H, S, hd)} at positions {@code start .. start+S-1} of the
   * first {@code B'} rows, and returns views {@code (B', H, start+S, hd)} of everything written so far
   * (keys, then values). {@code B'} may be smaller than the cache's batch: a decoder that stops guiding
   * drops the unconditional half, which sits at the end.
   */
  public Tensor[] update(long start, Tensor k, Tensor v) {
    long rows = k.size(0);
    long s = k.size(2);
    if (start + s > maxLength || rows > keys.size(0)) {
      throw new IllegalArgumentException("KV cache of " + keys.size(0) + " x " + maxLength + " cannot hold rows "
          + rows + " at positions " + start + ".." + (start + s - 1));
    }
    Tensor kr = keys.narrow(0, 0, rows);
    Tensor vr = values.narrow(0, 0, rows);
    kr.narrow(2, start, s).copy_(k);
    vr.narrow(2, start, s).copy_(v);
    return new Tensor[] {kr.narrow(2, 0, start + s), vr.narrow(2, 0, start + s)};
  }

  /** Positions this cache can hold. */
  public long maxLength() {
    return maxLength;
  }
}
