package io.github.argrpo.rewards.clip;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.Deque;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.runtime.Precision;

/**
 * Without autograd, a CLIP tower's blocks must not leave their temporaries in the caller's scope: before
 * the fix every attention score and MLP activation of every block lived until that scope closed (8 images
 * through ViT-H/14: a 15.3 GB peak). Counted as the native objects the caller's scope holds after one
 * image forward: each extra block may add its output, and nothing else.
 */
class ClipTowerMemoryTest {

  private static int heldByCallerScope(int visionLayers) throws Exception {
    ClipConfig cfg = ClipConfig.builder().embedDim(16).imageSize(32).patchSize(8).visionWidth(32).visionLayers(visionLayers)
        .visionHeads(2).contextLength(8).vocabSize(64).textWidth(32).textLayers(1).textHeads(2).build();
    try (ClipModel m = ClipModel.create(cfg, Precision.FP32); PointerScope caller = new PointerScope()) {
      Tensor pixels = torch.randn(2, 3, 32, 32);
      int before = stack(caller).size();
      m.encodeImage(pixels);
      return stack(caller).size() - before;
    }
  }

  @SuppressWarnings("unchecked")
  private static Deque<Pointer> stack(PointerScope s) throws Exception {
    Field f = PointerScope.class.getDeclaredField("pointerStack");
    f.setAccessible(true);
    return (Deque<Pointer>) f.get(s);
  }

  @Test
  void eachExtraBlockLeavesAtMostItsOutputInTheCallersScope() throws Exception {
    int one = heldByCallerScope(1);
    int five = heldByCallerScope(5);
    // four more blocks: at most four more surviving outputs (one per block), not their temporaries
    assertThat(five - one).isLessThanOrEqualTo(4);
  }
}
