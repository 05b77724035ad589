package io.github.argrpo.rewards.clip;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * One pre-LN transformer block of either CLIP tower:
 * {@code x = x + attn(ln_1(x)); x = x + mlp(ln_2(x))}. Children {@code ln_1}, {@code attn}, {@code ln_2},
 * {@code mlp}, named as in OpenAI's and open_clip's state dicts.
 */
final class ResidualAttentionBlock extends Module {

  private final ClipLayerNorm ln1;
  private final ClipAttention attn;
  private final ClipLayerNorm ln2;
  private final ClipMlp mlp;

  ResidualAttentionBlock(long width, long heads, ClipConfig cfg, ScalarType dtype) {
    ln1 = register_module("ln_1", new ClipLayerNorm(width, cfg.layerNormEps(), dtype));
    attn = register_module("attn", new ClipAttention(width, heads, dtype));
    ln2 = register_module("ln_2", new ClipLayerNorm(width, cfg.layerNormEps(), dtype));
    mlp = register_module("mlp", new ClipMlp(width, Math.round(width * cfg.mlpRatio()), cfg.activation(), dtype));
  }

  Tensor forward(Tensor x, boolean causal) {
    Tensor h = x.add(attn.forward(ln1.forward(x), causal));
    return h.add(mlp.forward(ln2.forward(h)));
  }
}
