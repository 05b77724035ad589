package io.github.argrpo.models.text.t5;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * T5's bidirectional self-attention ({@code SelfAttention} in Hugging Face's {@code T5Attention}):
 * bias-free {@code q, k, v} projections to {@code numHeads * dKv}, scores {@code q k^T} <em>without</em>
 * the {@code 1/sqrt(dKv)} scale (Mesh TensorFlow folds it into the initialisation of {@code q}), plus
 * the position bias (which carries the padding mask), a softmax in fp32 cast back to the scores' dtype,
 * and the output projection {@code o}.
 *
 * <p>Block 0 also owns the {@link RelativePositionBias} ({@code relative_attention_bias}); the encoder
 * computes the bias once from it and passes it to every block.
 *
 * <p>State-dict keys: {@code q.weight}, {@code k.weight}, {@code v.weight} (inner, dModel),
 * {@code o.weight} (dModel, inner), and in block 0 {@code relative_attention_bias.weight}
 * (numBuckets, numHeads). Build outside any {@code PointerScope}.
 */
public final class T5Attention extends Module {

  private final int numHeads;
  private final int dKv;
  private final Tensor qWeight;
  private final Tensor kWeight;
  private final Tensor vWeight;
  private final Tensor oWeight;
  private final RelativePositionBias relativeBias;

  /** The attention of one block; {@code hasRelativeBias} only for block 0 of the encoder. */
  public T5Attention(T5Config config, boolean hasRelativeBias) {
    this.numHeads = config.numHeads();
    this.dKv = config.dKv();
    int inner = config.innerDim();
    // Owned handles: weight() is a reference into the C++ module that must not outlive its wrapper.
    this.qWeight = new Tensor(linear("q", config.dModel(), inner).weight());
    this.kWeight = new Tensor(linear("k", config.dModel(), inner).weight());
    this.vWeight = new Tensor(linear("v", config.dModel(), inner).weight());
    this.oWeight = new Tensor(linear("o", inner, config.dModel()).weight());
    this.relativeBias = hasRelativeBias
        ? register_module("relative_attention_bias", new RelativePositionBias(
            config.relativeAttentionNumBuckets(), config.numHeads(), config.relativeAttentionMaxDistance()))
        : null;
  }

  private LinearImpl linear(String name, long in, long out) {
    LinearOptions o = new LinearOptions(in, out);
    o.bias().put(false);
    return register_module(name, new LinearImpl(o));
  }

  /**
   * Attends {@code x} (B, L, dModel) to itself.
   *
   * @param bias (B or 1, numHeads, L, L) additive bias: position bias plus padding mask
   * @return (B, L, dModel) in the dtype of {@code o}; owned by the caller's scope
   */
  public Tensor forward(Tensor x, Tensor bias) {
    long b = x.size(0);
    long l = x.size(1);
    Tensor q = heads(torch.linear(x, qWeight), b, l);
    Tensor k = heads(torch.linear(x, kWeight), b, l);
    Tensor v = heads(torch.linear(x, vWeight), b, l);
    Tensor scores = q.matmul(k.transpose(-1, -2)).add(bias); // no 1/sqrt(dKv): T5 has none
    ScalarType dtype = scores.scalar_type();
    // The reference's softmax(scores.float()).type_as(scores): fp32 normalisation, one rounding back.
    Tensor probs = torch.softmax(scores.to(ScalarType.Float), -1).to(dtype);
    Tensor out = probs.matmul(v).transpose(1, 2).reshape(b, l, (long) numHeads * dKv);
    return torch.linear(out, oWeight);
  }

  /** (B, L, H*dKv) to (B, H, L, dKv). */
  private Tensor heads(Tensor t, long b, long l) {
    return t.view(b, l, numHeads, dKv).transpose(1, 2);
  }

  /** The relative position bias table, or null outside block 0. */
  public RelativePositionBias relativeBias() {
    return relativeBias;
  }
}
