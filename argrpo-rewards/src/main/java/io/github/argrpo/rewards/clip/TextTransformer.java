package io.github.argrpo.rewards.clip;

import static com.google.common.base.Preconditions.checkArgument;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorIndex;
import org.bytedeco.pytorch.TensorIndexVector;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * CLIP's text tower: {@code token_embedding} plus {@code positional_embedding}, the transformer with a
 * causal mask, {@code ln_final}, pooled at the end-of-text position, then {@code text_projection}
 * {@code [W, D]}.
 *
 * <p>The pooling position is {@code argmax(ids)}: end-of-text (49407) is the largest id and
 * {@code argmax} returns the first maximum, so padding with zeros (OpenAI) or with 49407 (Hugging
 * Face) both pick the real end token. Causality makes padding after it irrelevant.
 */
final class TextTransformer extends Module {

  private final Tensor tokenEmbedding;
  private final Tensor positionalEmbedding;
  private final ClipTransformer transformer;
  private final ClipLayerNorm lnFinal;
  private final Tensor textProjection;
  private final long contextLength;
  private final long vocabSize;
  /** Kept reachable: a Java-side Module peer that is collected breaks libtorch's callbacks into it. */
  private final Module emb;

  TextTransformer(ClipConfig c, ScalarType dtype) {
    contextLength = c.contextLength();
    vocabSize = c.vocabSize();
    emb = register_module("token_embedding", new Module());
    tokenEmbedding = ClipParams.normal(emb, "weight", dtype, c.vocabSize(), c.textWidth());
    positionalEmbedding = ClipParams.normal(this, "positional_embedding", dtype, c.contextLength(), c.textWidth());
    transformer = register_module("transformer",
        new ClipTransformer(c.textWidth(), c.textLayers(), c.textHeads(), c, dtype));
    lnFinal = register_module("ln_final", new ClipLayerNorm(c.textWidth(), c.layerNormEps(), dtype));
    textProjection = ClipParams.normal(this, "text_projection", dtype, c.textWidth(), c.embedDim());
  }

  /** {@code ids}: int64 {@code [B, L]} with {@code L <= contextLength}; returns {@code [B, D]}. */
  Tensor forward(Tensor ids) {
    long b = ids.size(0);
    long len = ids.size(1);
    checkArgument(len >= 1 && len <= contextLength, "text ids must have 1..%s positions, got %s", contextLength, len);
    long max = ids.max().item_long();
    long min = ids.min().item_long();
    checkArgument(min >= 0 && max < vocabSize,
        "token ids must lie in [0, %s), got range [%s, %s]", vocabSize, min, max);
    // OpenAI adds all 77 rows to a full context; a shorter (Hugging Face, padding=True) batch uses the first L.
    Tensor x = torch.embedding(tokenEmbedding, ids).add(positionalEmbedding.narrow(0, 0, len));
    x = lnFinal.forward(transformer.forward(x, true));
    Tensor eot = ids.argmax(new LongOptional(-1), false);
    Tensor rows = torch.arange(new Scalar(b), new TensorOptions(ScalarType.Long));
    Tensor pooled = x.index(new TensorIndexVector(
        new TensorIndex(rows), new TensorIndex(eot)));
    return Bf16Gemm.matmul(pooled, textProjection);
  }
}
