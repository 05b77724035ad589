package io.github.argrpo.models.llamagen;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The t2i attention mask of the reference: lower-triangular, the columns of the condition tokens
 * multiplied by the caption's validity mask (so no query sees a padding token), and the diagonal forced
 * true (so a padding query sees itself and no row is fully masked).
 *
 * <p>LlamaGen's generation ({@code generate.py}) and its t2i training both build exactly this mask, and
 * so does AR-GRPO's sampler. AR-GRPO's log-prob forward omits the diagonal fix. With left padding that
 * only changes the outputs of padding rows, which no other row reads, so image-token logits are the
 * same, while a fully masked (left-padded) row would make attention produce NaN. With right padding
 * the last caption position is a padding row that predicts image token 0, so there AR-GRPO scores
 * token 0 under another distribution than it sampled it from. This class always forces the diagonal:
 * token 0 is scored under the distribution it was drawn from.
 */
public final class CausalMask {

  private CausalMask() {}

  /**
   * A bool mask {@code (B, 1, queries, keys)}, {@code true} = may attend, for queries at positions
   * {@code queryStart ..} and keys at positions {@code 0 .. keys-1}.
   *
   * @param captionValid {@code (B, cls)} bool, {@code true} for a real caption token
   * @param queryStart position of the first query
   * @param queries number of queries
   * @param keys number of keys ({@code queryStart + queries} for a causal prefix)
   * @return a new tensor on {@code captionValid}'s device, in the caller's scope
   */
  public static Tensor build(Tensor captionValid, long queryStart, long queries, long keys) {
    long b = captionValid.size(0);
    long cls = captionValid.size(1);
    Device device = captionValid.device();
    TensorOptions longs = new TensorOptions(ScalarType.Long).device(new DeviceOptional(device));
    Tensor q = torch.arange(new Scalar(queryStart), new Scalar(queryStart + queries), longs).view(queries, 1);
    Tensor k = torch.arange(new Scalar(keys), longs).view(1, keys);
    Tensor causal = k.le(q); // (Q, K)
    Tensor columns = keyValidity(captionValid, keys); // (B, K)
    Tensor m = causal.unsqueeze(0).logical_and(columns.unsqueeze(1)).logical_or(k.eq(q).unsqueeze(0));
    return m.unsqueeze(1);
  }

  /**
   * {@code (B, keys)} bool: the caption mask on the first {@code cls} key positions, true after. For a
   * single decode query at position {@code >= cls} this is the whole mask (as {@code (B, 1, 1, keys)}).
   */
  public static Tensor keyValidity(Tensor captionValid, long keys) {
    long b = captionValid.size(0);
    long cls = captionValid.size(1);
    Tensor valid = captionValid.to(ScalarType.Bool);
    if (keys <= cls) {
      return valid.narrow(1, 0, keys);
    }
    Tensor rest = torch.ones(new long[] {b, keys - cls},
        new TensorOptions(ScalarType.Bool).device(new DeviceOptional(captionValid.device())));
    return torch.cat(new TensorVector(valid, rest), 1);
  }
}
