package io.github.argrpo.eval.imagenet.inception;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** The pooling layers of the TF graph, with the FID port's TF-compatibility choices. */
final class Pools {

  private Pools() {}

  /** 3x3 average pool, stride 1, padding 1, padded cells not counted (TF's {@code SAME} average). */
  static Tensor avg3x3(Tensor x) {
    return torch.avg_pool2d(x, new long[] {3, 3}, new long[] {1, 1}, new long[] {1, 1}, false, false,
        new LongOptional());
  }

  /** 3x3 max pool, stride 1, padding 1 ({@code Mixed_7c}'s pool branch in the TF graph). */
  static Tensor max3x3(Tensor x) {
    return torch.max_pool2d(x, new long[] {3, 3}, new long[] {1, 1}, new long[] {1, 1}, new long[] {1, 1}, false);
  }

  /** 3x3 max pool, stride 2, unpadded (between the stems and in the reduction blocks). */
  static Tensor max3x3Stride2(Tensor x) {
    return torch.max_pool2d(x, new long[] {3, 3}, new long[] {2, 2}, new long[] {0, 0}, new long[] {1, 1}, false);
  }
}
