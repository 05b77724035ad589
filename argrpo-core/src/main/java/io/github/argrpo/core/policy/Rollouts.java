package io.github.argrpo.core.policy;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import io.github.argrpo.core.condition.Condition;

/**
 * The output of one {@link Policy#sample} call: {@code N = groups * groupSize} token sequences, laid
 * out group by group (the {@code groupSize} samples of condition {@code g} are rows
 * {@code g*groupSize ... (g+1)*groupSize - 1}), with what the sampler saw at each token.
 *
 * <p><b>Ownership.</b> The rollouts hold their own references to the tensors, independent of any
 * {@code PointerScope}; the getters' tensors stay valid until {@link #close()}.
 */
public final class Rollouts implements AutoCloseable {

  private final List<Condition> groupConditions;
  private final int groupSize;
  private final Tensor tokens;
  private final Tensor samplingLogProbs;
  private final Tensor entropy;
  private final SamplingConfig config;
  private boolean closed;

  /**
   * @param groupConditions the condition of each group, in order
   * @param groupSize samples per condition
   * @param tokens {@code (N, L)} int64 image-token ids; a new reference is taken
   * @param samplingLogProbs {@code (N, L)} float32 log-probs of each sampled token under the
   *     distribution it was drawn from (after guidance, temperature and filtering); may be null
   * @param entropy {@code (N, L)} float32 entropy of the guided logits before filtering (AR-GRPO's
   *     {@code entropy} metric); may be null
   */
  public Rollouts(List<? extends Condition> groupConditions, int groupSize, Tensor tokens, Tensor samplingLogProbs,
      Tensor entropy) {
    this(groupConditions, groupSize, tokens, samplingLogProbs, entropy, SamplingConfig.plain());
  }

  /**
   * As {@link #Rollouts(List, int, Tensor, Tensor, Tensor)}, recording the sampling configuration
   * (GRPO reuses its temperature and guidance when it re-scores the tokens).
   */
  public Rollouts(List<? extends Condition> groupConditions, int groupSize, Tensor tokens, Tensor samplingLogProbs,
      Tensor entropy, SamplingConfig config) {
    checkArgument(config != null, "sampling config must not be null");
    this.config = config;
    checkArgument(groupSize >= 1, "groupSize must be >= 1, got %s", groupSize);
    this.groupConditions = List.copyOf(groupConditions);
    this.groupSize = groupSize;
    long n = (long) this.groupConditions.size() * groupSize;
    checkRows("tokens", tokens, n);
    this.tokens = retain(tokens.detach());
    this.samplingLogProbs = samplingLogProbs == null ? null : retain(checkRows("samplingLogProbs", samplingLogProbs, n).detach());
    this.entropy = entropy == null ? null : retain(checkRows("entropy", entropy, n).detach());
  }

  private static Tensor checkRows(String name, Tensor t, long n) {
    if (t.dim() != 2 || t.size(0) != n) {
      throw new IllegalArgumentException(name + " must be (" + n + ", L), got " + Arrays.toString(t.sizes().vec().get()));
    }
    return t;
  }

  private static Tensor retain(Tensor t) {
    t.retainReference();
    return t;
  }

  /** The condition of each group. */
  public List<Condition> groupConditions() {
    return groupConditions;
  }

  /** The condition of every sequence, {@code N} entries, each group's repeated {@code groupSize} times. */
  public List<Condition> sampleConditions() {
    List<Condition> out = new ArrayList<>(size());
    for (Condition c : groupConditions) {
      for (int i = 0; i < groupSize; i++) {
        out.add(c);
      }
    }
    return out;
  }

  /** The sampling configuration these rollouts were drawn with. */
  public SamplingConfig samplingConfig() {
    return config;
  }

  /** Samples per condition (G). */
  public int groupSize() {
    return groupSize;
  }

  /** Number of groups (conditions). */
  public int groups() {
    return groupConditions.size();
  }

  /** Number of sequences {@code N = groups * groupSize}. */
  public int size() {
    return groupConditions.size() * groupSize;
  }

  /** Tokens per sequence (L). */
  public int sequenceLength() {
    return (int) tokens().size(1);
  }

  /** {@code (N, L)} int64 token ids; valid until {@link #close()}. */
  public Tensor tokens() {
    checkOpen();
    return tokens;
  }

  /** {@code (N, L)} float32 sampling log-probs, or null if the policy did not report them. */
  public Tensor samplingLogProbs() {
    checkOpen();
    return samplingLogProbs;
  }

  /** {@code (N, L)} float32 per-token entropy, or null if the policy did not report it. */
  public Tensor entropy() {
    checkOpen();
    return entropy;
  }

  /** The mean per-token entropy, or NaN when not reported. */
  public double meanEntropy() {
    checkOpen();
    return entropy == null ? Double.NaN : entropy.mean().item_double();
  }

  /** Token ids as Java arrays, {@code [N][L]}. */
  public long[][] tokensAsArray() {
    checkOpen();
    int n = size();
    int l = sequenceLength();
    long[] flat = new long[n * l];
    Tensor c = tokens.contiguous();
    new LongPointer(c.data_ptr_long()).get(flat);
    long[][] out = new long[n][l];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * l, out[i], 0, l);
    }
    return out;
  }

  /**
   * Joins rollouts drawn in several passes (all with the same group size and sequence length) into one
   * batch, groups in the order given. The parts stay owned by the caller.
   */
  public static Rollouts concat(List<Rollouts> parts) {
    checkArgument(!parts.isEmpty(), "nothing to concatenate");
    if (parts.size() == 1) {
      Rollouts p = parts.get(0);
      return new Rollouts(p.groupConditions, p.groupSize, p.tokens(), p.samplingLogProbs, p.entropy, p.config);
    }
    int g = parts.get(0).groupSize;
    List<Condition> conds = new ArrayList<>();
    Tensor[] tok = new Tensor[parts.size()];
    Tensor[] lp = new Tensor[parts.size()];
    Tensor[] ent = new Tensor[parts.size()];
    boolean haveLp = true;
    boolean haveEnt = true;
    for (int i = 0; i < parts.size(); i++) {
      Rollouts p = parts.get(i);
      checkArgument(p.groupSize == g, "cannot concatenate rollouts with group sizes %s and %s", g, p.groupSize);
      conds.addAll(p.groupConditions);
      tok[i] = p.tokens();
      lp[i] = p.samplingLogProbs;
      ent[i] = p.entropy;
      haveLp &= lp[i] != null;
      haveEnt &= ent[i] != null;
    }
    try (PointerScope scope = new PointerScope()) {
      return new Rollouts(conds, g, torch.cat(new TensorVector(tok), 0),
          haveLp ? torch.cat(new TensorVector(lp), 0) : null,
          haveEnt ? torch.cat(new TensorVector(ent), 0) : null,
          parts.get(0).config);
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      tokens.releaseReference();
      if (samplingLogProbs != null) {
        samplingLogProbs.releaseReference();
      }
      if (entropy != null) {
        entropy.releaseReference();
      }
    }
  }

  private void checkOpen() {
    checkState(!closed, "these Rollouts are closed");
  }
}
