package io.github.argrpo.models.text.t5;

import static com.google.common.base.Preconditions.checkArgument;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * T5's learned relative position bias: one scalar per head and distance bucket, added to the
 * attention scores. In the encoder only block 0 owns the table (its
 * {@code SelfAttention.relative_attention_bias}); the bias it computes is reused by every block.
 *
 * <p>Distances are bucketed as in Mesh TensorFlow (Hugging Face's {@code _relative_position_bucket}):
 * for a bidirectional encoder half of the buckets are for keys after the query and half for keys
 * before it (or at it); in each half the first quarter of all buckets are exact distances
 * {@code 0 .. maxExact-1} and the rest grow logarithmically up to {@code maxDistance}, beyond which
 * every distance shares the last bucket. With 32 buckets and distance 128: distance 0 is bucket 0,
 * +1 is 17, -1 is 1, +128 and beyond are 31, -128 and beyond are 15.
 *
 * <p>State-dict key: {@code weight} {@code (numBuckets, numHeads)}, as an {@code nn.Embedding}.
 * Build outside any {@code PointerScope}.
 */
public final class RelativePositionBias extends Module {

  private final Tensor weight;
  private final int numBuckets;
  private final int maxDistance;

  /** A table of {@code numBuckets} x {@code numHeads}, initialised to zeros. */
  public RelativePositionBias(int numBuckets, int numHeads, int maxDistance) {
    this.numBuckets = numBuckets;
    this.maxDistance = maxDistance;
    // an owned handle: register_parameter returns a reference into the module's parameter dict
    this.weight = new Tensor(register_parameter("weight", torch.zeros(numBuckets, numHeads)));
  }

  /**
   * The bucket of {@code relativePosition} = key position - query position.
   *
   * <p>The log-scaled part is computed in float32 like the reference's
   * {@code log(rel.float() / max_exact) / log(max_distance / max_exact) * (num_buckets - max_exact)}
   * truncated to an integer: at distances where the exact value is an integer (16, 32, 64 with the
   * default 32 buckets), double arithmetic could land on the other side of the truncation.
   *
   * @param bidirectional true for the encoder (keys on both sides), false for a causal decoder
   */
  public static int bucket(int relativePosition, boolean bidirectional, int numBuckets, int maxDistance) {
    int bucket = 0;
    int n = numBuckets;
    int distance;
    if (bidirectional) {
      n /= 2;
      if (relativePosition > 0) {
        bucket += n; // keys after the query use the upper half
      }
      distance = Math.abs(relativePosition);
    } else {
      distance = -Math.min(relativePosition, 0); // keys after the query are not attended
    }
    int maxExact = n / 2;
    if (distance < maxExact) {
      return bucket + distance;
    }
    float ratio = (float) distance / (float) maxExact;
    float scaled = (float) Math.log(ratio) / (float) Math.log((double) maxDistance / maxExact)
        * (float) (n - maxExact);
    int large = maxExact + (int) scaled;
    return bucket + Math.min(large, n - 1);
  }

  /**
   * The bucket of every (query, key) pair of a bidirectional {@code length x length} attention, row
   * major: entry {@code q * length + k} is {@code bucket(k - q)}.
   */
  static long[] bucketTable(int length, int numBuckets, int maxDistance) {
    // Only 2 * length - 1 distinct distances: compute each once.
    int[] byDistance = new int[2 * length - 1];
    for (int d = -(length - 1); d < length; d++) {
      byDistance[d + length - 1] = bucket(d, true, numBuckets, maxDistance);
    }
    long[] table = new long[length * length];
    for (int q = 0; q < length; q++) {
      for (int k = 0; k < length; k++) {
        table[q * length + k] = byDistance[k - q + length - 1];
      }
    }
    return table;
  }

  /**
   * The bias {@code (1, numHeads, length, length)} of a bidirectional self-attention over
   * {@code length} positions, in the table's dtype and on its device; owned by the caller's scope.
   */
  public Tensor forward(int length) {
    checkArgument(length > 0, "length must be > 0, got %s", length);
    checkArgument(!((long) length * length > Integer.MAX_VALUE), "length %s is too long for one bias table", length);
    Tensor buckets = Tensor.create(bucketTable(length, numBuckets, maxDistance), length, length)
        .to(weight.device(), torch.ScalarType.Long);
    // (L, L, H) -> (1, H, L, L), as compute_bias does
    return torch.embedding(weight, buckets).permute(2, 0, 1).unsqueeze(0);
  }

  /** The live table {@code (numBuckets, numHeads)}. */
  public Tensor weight() {
    return weight;
  }
}
