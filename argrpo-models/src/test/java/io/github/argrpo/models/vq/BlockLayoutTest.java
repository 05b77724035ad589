package io.github.argrpo.models.vq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.MemoryFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.runtime.NativeRuntime;

/**
 * Every block keeps channels-last activations channels-last (the decoder's speed depends on it) and gives
 * the same values as with NCHW input.
 */
class BlockLayoutTest {

  private static final VqConfig CONFIG = VqConfig.builder().channels(32).channelMultipliers(List.of(1, 2))
      .zChannels(32).codebookSize(16).build();

  @BeforeAll
  static void init() {
    NativeRuntime.init();
  }

  @Test
  void blocksPreserveChannelsLastAndValues() {
    check(new ResnetBlock(32, 32, CONFIG), b -> ((ResnetBlock) b)::forward, 32);
    check(new ResnetBlock(32, 64, CONFIG), b -> ((ResnetBlock) b)::forward, 32);
    check(new AttnBlock(32, CONFIG), b -> ((AttnBlock) b)::forward, 32);
    check(new Upsample(32), b -> ((Upsample) b)::forward, 32);
    check(new Downsample(32), b -> ((Downsample) b)::forward, 32);
  }

  private static void check(Module block, Function<Module, Function<Tensor, Tensor>> forward, int channels) {
    try (PointerScope ignored = new PointerScope()) {
      torch.manual_seed(9);
      Tensor x = torch.randn(2, channels, 6, 6);
      Tensor nhwc = x.contiguous(MemoryFormat.ChannelsLast);
      Tensor a = forward.apply(block).apply(x);
      Tensor b = forward.apply(block).apply(nhwc);
      assertThat(b.is_contiguous(MemoryFormat.ChannelsLast)).as(block.getClass().getSimpleName()).isTrue();
      assertThat(a.sub(b).abs().max().item_float()).as(block.getClass().getSimpleName()).isLessThan(1e-4f);
    } finally {
      block.close();
    }
  }
}
