package io.github.argrpo.examples.bench;

import java.util.Map;

import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.models.llamagen.GptConfig;
import io.github.argrpo.models.llamagen.LlamaGenPolicy;

/**
 * Forward FLOPs of the LlamaGen GPT, counted from its weights: every 2-D weight that multiplies
 * activations (attention, feed-forward, the output head; not the embedding tables, which are lookups)
 * costs 2 FLOPs per element per token, and causal attention adds {@code 2 x 2 x ctx x dim} per token and
 * layer ({@code QK^T} and {@code AV}) with {@code ctx} the mean attended length. Normalisation, RoPE and
 * softmax are left out (a few percent).
 */
record GptFlops(double matmulFlopsPerToken, int layers, int dim, int prefix) {

  static GptFlops of(LlamaGenPolicy policy) {
    double perToken = 0;
    for (Map.Entry<String, Tensor> e : policy.namedParameters().entrySet()) {
      String k = e.getKey();
      if (e.getValue().dim() == 2 && !k.contains("embedding") && !k.startsWith("cls_embedding")) {
        perToken += 2.0 * e.getValue().numel();
      }
    }
    GptConfig c = policy.config();
    return new GptFlops(perToken, c.nLayer(), c.dim(), c.clsTokenNum());
  }

  /** FLOPs of a teacher-forced (or KV-cached sampling) pass over {@code rows} sequences of {@code len} image tokens. */
  double forwardFlops(int rows, int len) {
    double ctx = prefix + len / 2.0;
    double attention = 4.0 * ctx * dim * layers;
    return (double) rows * len * (matmulFlopsPerToken + attention);
  }
}
