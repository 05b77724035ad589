package io.github.argrpo.models.vq;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.runtime.Scopes;

/**
 * One entry of the reference {@code conv_blocks} list: the residual blocks of one resolution, an
 * attention block after each of them at the lowest resolution, then an optional resampling layer.
 *
 * <pre>
 * for i in range(len(res)): h = res[i](h); if attn: h = attn[i](h)
 * h = downsample(h) or upsample(h) if present
 * </pre>
 *
 * <p>State-dict names: {@code res.<i>.*}, {@code attn.<i>.*}, {@code downsample.conv.*} (encoder) or
 * {@code upsample.conv.*} (decoder). An empty {@code attn} list is registered like the reference's and
 * holds no parameters.
 */
public final class ResolutionLevel extends Module {

  /** What follows the blocks of a level. */
  public enum Resample {
    /** Nothing: the last encoder level, the last decoder level. */
    NONE,
    /** {@link Downsample}, in the encoder. */
    DOWN,
    /** {@link Upsample}, in the decoder. */
    UP
  }

  private final List<ResnetBlock> res = new ArrayList<>();
  private final List<AttnBlock> attn = new ArrayList<>();
  private final Downsample downsample;
  private final Upsample upsample;

  /**
   * A level of {@code blocks} residual blocks, the first mapping {@code in} to {@code out} channels and the
   * rest {@code out} to {@code out}.
   *
   * @param withAttention whether an {@link AttnBlock} follows every residual block
   */
  public ResolutionLevel(long in, long out, int blocks, boolean withAttention, Resample resample, VqConfig config) {
    ModuleListImpl resList = register_module("res", new ModuleListImpl());
    ModuleListImpl attnList = register_module("attn", new ModuleListImpl());
    long blockIn = in;
    for (int i = 0; i < blocks; i++) {
      ResnetBlock r = new ResnetBlock(blockIn, out, config);
      resList.push_back(r);
      res.add(r);
      blockIn = out;
      if (withAttention) {
        AttnBlock a = new AttnBlock(out, config);
        attnList.push_back(a);
        attn.add(a);
      }
    }
    downsample = resample == Resample.DOWN ? register_module("downsample", new Downsample(out)) : null;
    upsample = resample == Resample.UP ? register_module("upsample", new Upsample(out)) : null;
  }

  /** Frees {@code previous} (unless it is the level's input) and returns {@code next}. */
  private static Tensor step(PointerScope level, Tensor previous, Tensor input, Tensor next) {
    if (previous != input) {
      RollingActivations.freeNow(level, previous);
    }
    return next;
  }

  /** Applies the level; the result is in the caller's scope. */
  public Tensor forward(Tensor x) {
    PointerScope outer = Scopes.outer();
    try (PointerScope level = new PointerScope()) {
      // every block output is freed once the next block has consumed it (never x, the caller's)
      Tensor h = x;
      for (int i = 0; i < res.size(); i++) {
        h = step(level, h, x, res.get(i).forward(h));
        if (!attn.isEmpty()) {
          h = step(level, h, x, attn.get(i).forward(h));
        }
      }
      if (downsample != null) {
        h = step(level, h, x, downsample.forward(h));
      }
      if (upsample != null) {
        h = step(level, h, x, upsample.forward(h));
      }
      return Scopes.handOut(h, outer);
    }
  }
}
