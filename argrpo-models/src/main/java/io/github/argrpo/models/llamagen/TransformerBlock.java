package io.github.argrpo.models.llamagen;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * A pre-norm Llama block: {@code h = x + attention(attention_norm(x))},
 * {@code out = h + feed_forward(ffn_norm(h))} (drop-path is the identity at the released rate 0).
 *
 * <p>State-dict keys under the block: {@code attention.*}, {@code feed_forward.*},
 * {@code attention_norm.weight}, {@code ffn_norm.weight}. Build outside any {@code PointerScope}.
 */
public final class TransformerBlock extends Module {

  private final Attention attention;
  private final FeedForward feedForward;
  private final RmsNorm attentionNorm;
  private final RmsNorm ffnNorm;

  /** A block of the given architecture. */
  public TransformerBlock(GptConfig c) {
    this.attention = register_module("attention", new Attention(c.dim(), c.nHead(), c.attnDropoutP(), c.residDropoutP()));
    this.feedForward = register_module("feed_forward", new FeedForward(c.dim(), c.ffnHidden(), c.ffnDropoutP()));
    this.attentionNorm = register_module("attention_norm", new RmsNorm(c.dim(), c.normEps()));
    this.ffnNorm = register_module("ffn_norm", new RmsNorm(c.dim(), c.normEps()));
  }

  /** See {@link Attention#forward}; returns {@code (B, S, dim)} in the caller's scope. */
  public Tensor forward(Tensor x, Rope2d rope, long start, Tensor mask, boolean causal, KvCache cache) {
    Tensor h = x.add(attention.forward(attentionNorm.forward(x), rope, start, mask, causal, cache));
    return h.add(feedForward.forward(ffnNorm.forward(h)));
  }
}
