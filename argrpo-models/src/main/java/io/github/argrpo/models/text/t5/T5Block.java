package io.github.argrpo.models.text.t5;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.Tensor;

/**
 * One pre-norm T5 encoder block: {@code x + SelfAttention(layer_norm(x))}, then
 * {@code x + DenseReluDense(layer_norm(x))}. No dropout (inference only), and no fp16 clamping: only
 * fp32 and bf16 are supported, where Hugging Face does not clamp either.
 *
 * <p>The submodules are laid out as Hugging Face's {@code T5Block}, so the state-dict keys are the
 * checkpoint's: {@code layer.0.SelfAttention.*}, {@code layer.0.layer_norm.weight},
 * {@code layer.1.DenseReluDense.*}, {@code layer.1.layer_norm.weight}. Build outside any
 * {@code PointerScope}.
 */
public final class T5Block extends Module {

  // Strong references to the containers too, not only to their children (libtorch notes: keep
  // wrappers of registered modules reachable).
  private final Module selfAttentionLayer;
  private final Module feedForwardLayer;
  private final T5LayerNorm attentionNorm;
  private final T5Attention attention;
  private final T5LayerNorm feedForwardNorm;
  private final T5FeedForward feedForward;

  /** Block {@code index} of an encoder with {@code config}; block 0 owns the relative position bias. */
  public T5Block(T5Config config, int index) {
    ModuleListImpl layer = register_module("layer", new ModuleListImpl());
    // Plain containers for layer.0 (T5LayerSelfAttention) and layer.1 (T5LayerFF): they exist only to
    // give the parameters the reference's names.
    this.selfAttentionLayer = new Module();
    this.attention = selfAttentionLayer.register_module("SelfAttention", new T5Attention(config, index == 0));
    this.attentionNorm = selfAttentionLayer.register_module("layer_norm",
        new T5LayerNorm(config.dModel(), config.layerNormEpsilon()));
    this.feedForwardLayer = new Module();
    this.feedForward = feedForwardLayer.register_module("DenseReluDense", new T5FeedForward(config));
    this.feedForwardNorm = feedForwardLayer.register_module("layer_norm",
        new T5LayerNorm(config.dModel(), config.layerNormEpsilon()));
    layer.push_back(selfAttentionLayer);
    layer.push_back(feedForwardLayer);
  }

  /**
   * The block's output for hidden states {@code x} (B, L, dModel).
   *
   * @param bias the encoder's position bias plus padding mask (B or 1, H, L, L)
   * @return (B, L, dModel); in the residual dtype, which is fp32 when {@code wo} is kept in fp32
   */
  public Tensor forward(Tensor x, Tensor bias) {
    Tensor h = x.add(attention.forward(attentionNorm.forward(x), bias));
    return h.add(feedForward.forward(feedForwardNorm.forward(h)));
  }

  /** The self-attention (block 0's owns the relative position bias). */
  public T5Attention attention() {
    return attention;
  }

  /** The feed-forward. */
  public T5FeedForward feedForward() {
    return feedForward;
  }
}
