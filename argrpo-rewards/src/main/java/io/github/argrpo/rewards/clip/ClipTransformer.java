package io.github.argrpo.rewards.clip;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

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

  Tensor forward(Tensor x, boolean causal) {
    Tensor h = x;
    for (ResidualAttentionBlock b : blocks) {
      h = b.forward(h, causal);
    }
    return h;
  }
}
