package io.github.argrpo.models.vq;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.MemoryFormat;

import io.github.argrpo.core.runtime.Scopes;

/**
 * The reference {@code Encoder}: images in {@code [-1, 1]} to {@code z_channels} feature maps at
 * {@code 1/downsampleFactor} resolution.
 *
 * <pre>
 * conv_in 3 -> ch (3x3)
 * conv_blocks[i], i = 0..L-1:  numResBlocks x ResnetBlock(ch*in_mult[i] -> ch*mult[i] for the first,
 *                              then ch*mult[i]), an AttnBlock after each at the last level,
 *                              Downsample after every level but the last       (in_mult = (1,) + mult)
 * mid: ResnetBlock, AttnBlock, ResnetBlock at ch*mult[L-1]
 * norm_out, swish, conv_out ch*mult[L-1] -> z_channels (3x3)
 * </pre>
 *
 * <p>For VQ-16 the channels run 128, 128, 256, 256, 512; {@code nin_shortcut}s sit at
 * {@code conv_blocks.2.res.0} and {@code conv_blocks.4.res.0}.
 */
public final class VqEncoder extends Module {

  private final Conv2dImpl convIn;
  private final List<ResolutionLevel> levels = new ArrayList<>();
  private final ResnetBlock mid0;
  private final AttnBlock mid1;
  private final ResnetBlock mid2;
  private final Normalize normOut;
  private final Conv2dImpl convOut;

  /** The encoder of {@code config}, with libtorch's default initialisation. */
  public VqEncoder(VqConfig config) {
    List<Integer> mult = config.encoderChannelMultipliers();
    int n = mult.size();
    long ch = config.channels();
    convIn = register_module("conv_in", Convs.conv3x3(VqConfig.IMAGE_CHANNELS, ch));
    ModuleListImpl blocks = register_module("conv_blocks", new ModuleListImpl());
    long blockIn = ch;
    for (int i = 0; i < n; i++) {
      long in = ch * (i == 0 ? 1 : mult.get(i - 1));
      long out = ch * mult.get(i);
      ResolutionLevel level = new ResolutionLevel(in, out, config.numResBlocks(), i == n - 1,
          i != n - 1 ? ResolutionLevel.Resample.DOWN : ResolutionLevel.Resample.NONE, config);
      blocks.push_back(level);
      levels.add(level);
      blockIn = out;
    }
    ModuleListImpl mid = register_module("mid", new ModuleListImpl());
    mid0 = new ResnetBlock(blockIn, blockIn, config);
    mid1 = new AttnBlock(blockIn, config);
    mid2 = new ResnetBlock(blockIn, blockIn, config);
    mid.push_back(mid0);
    mid.push_back(mid1);
    mid.push_back(mid2);
    normOut = register_module("norm_out", new Normalize(blockIn, config.normGroups(), config.normEps()));
    convOut = register_module("conv_out", Convs.conv3x3(blockIn, config.zChannels()));
  }

  /**
   * Encodes {@code x (B, 3, H, W)} in {@code [-1, 1]} (dtype and device of the weights) to
   * {@code (B, z_channels, H/f, W/f)}; the result is in the caller's scope.
   */
  public Tensor forward(Tensor x) {
    PointerScope outer = Scopes.outer();
    try (PointerScope enc = new PointerScope()) {
      // channels-last activations, as in the decoder (faster oneDNN convolutions); each activation is
      // freed as soon as the next exists
      Tensor h = convIn.forward(x.contiguous(MemoryFormat.ChannelsLast));
      for (ResolutionLevel level : levels) {
        h = RollingActivations.replace(enc, h, level.forward(h));
      }
      h = RollingActivations.replace(enc, h, mid0.forward(h));
      h = RollingActivations.replace(enc, h, mid1.forward(h));
      h = RollingActivations.replace(enc, h, mid2.forward(h));
      Tensor n = Swish.applyInPlace(normOut.forward(h));
      RollingActivations.freeNow(enc, h);
      h = convOut.forward(n).contiguous();
      return Scopes.handOut(h, outer);
    }
  }
}
