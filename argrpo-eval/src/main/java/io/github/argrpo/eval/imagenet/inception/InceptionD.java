package io.github.argrpo.eval.imagenet.inception;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/** {@code Mixed_7a}: the 17 -> 8 reduction (3x3 and 7x7x3 branches, both strided, and a max pool). */
final class InceptionD extends ConvBlock {

  private final BasicConv2d branch3x3a;
  private final BasicConv2d branch3x3b;
  private final BasicConv2d[] branch7x7x3;

  InceptionD(long in) {
    branch3x3a = unit("branch3x3_1", BasicConv2d.of(in, 192, 1));
    branch3x3b = unit("branch3x3_2", BasicConv2d.of(192, 320, 3, 2, 0));
    branch7x7x3 = new BasicConv2d[] {
        unit("branch7x7x3_1", BasicConv2d.of(in, 192, 1)),
        unit("branch7x7x3_2", BasicConv2d.row(192, 192, 7)),
        unit("branch7x7x3_3", BasicConv2d.column(192, 192, 7)),
        unit("branch7x7x3_4", BasicConv2d.of(192, 192, 3, 2, 0))};
  }

  Tensor forward(Tensor x) {
    Tensor b3 = branch3x3b.forward(branch3x3a.forward(x));
    Tensor b7 = x;
    for (BasicConv2d c : branch7x7x3) {
      b7 = c.forward(b7);
    }
    return torch.cat(new TensorVector(b3, b7, Pools.max3x3Stride2(x)), 1);
  }
}
