package io.github.argrpo.core.policy;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Next-token logits processing exactly as LlamaGen's {@code generate.py}: guidance, temperature,
 * top-k, top-p, then a multinomial draw. Every sampler in the SDK goes through these functions so that
 * the order of operations (CFG, temperature, top-k, top-p, softmax, multinomial) is the same everywhere.
 *
 * <p>All functions take and return {@code (B, V)} float32 tensors owned by the caller's
 * {@code PointerScope}.
 */
public final class LogitsProcessing {

  private LogitsProcessing() {}

  /**
   * Classifier-free guidance, in the reference's op order: {@code uncond + (cond - uncond) * scale}.
   */
  public static Tensor guide(Tensor cond, Tensor uncond, double scale) {
    return uncond.add(cond.sub(uncond).mul(new Scalar(scale)));
  }

  /**
   * Divides by the temperature and applies top-k then top-p filtering, setting removed logits to
   * {@code -inf}.
   *
   * <p>Top-k keeps every logit {@code >=} the k-th largest value (a strict {@code <} comparison in the
   * reference), so ties at the k-th value are all kept. Top-p sorts descending, removes tokens whose
   * cumulative probability exceeds {@code topP}, shifted right by one so the token that crosses the
   * threshold stays, and always keeps the most likely token.
   */
  public static Tensor filter(Tensor logits, double temperature, int topK, double topP) {
    Tensor x = logits.div(new Scalar(Math.max(temperature, 1e-5)));
    long v = x.size(-1);
    if (topK > 0) {
      long k = Math.min(Math.max(topK, 1), v);
      T_TensorTensor_T top = torch.topk(x, k, -1, true, true);
      Tensor kth = top.get0().narrow(-1, k - 1, 1);
      x = x.masked_fill(x.lt(kth), new Scalar(Double.NEGATIVE_INFINITY));
    }
    if (topP < 1.0) {
      T_TensorTensor_T sorted = torch.sort(x, -1, true);
      Tensor sortedLogits = sorted.get0();
      Tensor sortedIdx = sorted.get1();
      Tensor cum = torch.softmax(sortedLogits, -1).cumsum(-1);
      Tensor remove = cum.gt(new Scalar(topP));
      // shift right by one: the token that crosses top_p is kept, and so is the first token
      Tensor shifted = torch.zeros_like(remove);
      shifted.narrow(-1, 1, v - 1).copy_(remove.narrow(-1, 0, v - 1));
      Tensor removeOrig = torch.zeros_like(shifted).scatter(-1, sortedIdx, shifted);
      x = x.masked_fill(removeOrig, new Scalar(Double.NEGATIVE_INFINITY));
    }
    return x;
  }

  /** {@code softmax} in float32. */
  public static Tensor probabilities(Tensor filteredLogits) {
    return torch.softmax(filteredLogits, -1);
  }

  /**
   * One token per row from {@code probs}, {@code (B, 1)} int64, drawn with {@code generator} through
   * libtorch's multinomial (the same draw as {@code torch.multinomial(probs, 1)} with that generator).
   */
  public static Tensor draw(Tensor probs, Generator generator) {
    return torch.multinomial(probs, 1, false, new GeneratorOptional(generator));
  }

  /**
   * One CPU generator per group, seeded from {@code (seed, group index)}: with {@link #drawPerGroup} a
   * group's samples depend only on its condition, the seed and its position, not on the rest of the batch.
   */
  public static Generator[] groupGenerators(long seed, int groups) {
    Generator[] gens = new Generator[groups];
    for (int gi = 0; gi < groups; gi++) {
      gens[gi] = torch.make_generator_cpu(seed * 1_000_003L + gi);
    }
    return gens;
  }

  /**
   * One token per row, {@code (B)} int64: rows are {@code gens.length} contiguous groups of
   * {@code groupSize}, each drawn with its own generator ({@link #draw}).
   */
  public static Tensor drawPerGroup(Tensor probs, Generator[] gens, int groupSize) {
    Tensor[] draws = new Tensor[gens.length];
    for (int gi = 0; gi < gens.length; gi++) {
      draws[gi] = draw(probs.narrow(0, (long) gi * groupSize, groupSize), gens[gi]);
    }
    return torch.cat(new TensorVector(draws), 0).squeeze(1);
  }

  /** The most likely token per row, {@code (B, 1)} int64 (greedy decoding). */
  public static Tensor greedy(Tensor logits) {
    return logits.argmax(new LongOptional(-1), true);
  }

  /**
   * Entropy of the distribution {@code softmax(logits)} per row, computed as AR-GRPO's metric does:
   * {@code logsumexp(z) - sum(softmax(z) * z)}. Positions with {@code -inf} logits contribute zero.
   */
  public static Tensor entropy(Tensor logits) {
    Tensor z = logits.to(torch.ScalarType.Float);
    Tensor p = torch.softmax(z, -1);
    Tensor finite = torch.where(z.isfinite(), z, torch.zeros_like(z));
    return torch.logsumexp(z, new long[] {-1}, false).sub(p.mul(finite).sum(new long[] {-1}, false, new ScalarTypeOptional()));
  }
}
