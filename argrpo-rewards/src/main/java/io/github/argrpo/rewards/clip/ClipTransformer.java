package io.github.argrpo.rewards.clip;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.runtime.Scopes;

/** A stack of {@link ResidualAttentionBlock}s under {@code resblocks.N}, batch-first. */
final class ClipTransformer extends Module {

  private final List<ResidualAttentionBlock> blocks = new ArrayList<>();
  private final ModuleListImpl list;

  ClipTransformer(long width, int layers, long heads, ClipConfig cfg, ScalarType dtype) {
    list = register_module("resblocks", new ModuleListImpl());
    for (int i = 0; i < layers; i++) {
      ResidualAttentionBlock b = new ResidualAttentionBlock(width, heads, cfg, dtype);
      list.push_back(b);
      blocks.add(b);
    }
  }

  /**
   * Runs the blocks. Without autograd (the reward path) each block runs in its own {@code PointerScope}
   * and only its output survives it: otherwise every temporary of every block (attention scores, MLP
   * activations) would live until the caller's scope closes, about 6.6 GB for 8 images through
   * ViT-H/14's 32 blocks. With autograd on, the temporaries are the backward's inputs and stay.
   */
  Tensor forward(Tensor x, boolean causal) {
    Tensor h = x;
    boolean scoped = !GradMode.is_enabled();
    for (ResidualAttentionBlock b : blocks) {
      if (!scoped) {
        h = b.forward(h, causal);
        continue;
      }
      PointerScope outer = Scopes.outer();
      try (PointerScope layer = new PointerScope()) {
        h = Scopes.handOut(b.forward(h, causal), outer);
      }
    }
    return h;
  }
}
