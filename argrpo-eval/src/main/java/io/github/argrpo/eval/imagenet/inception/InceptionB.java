package io.github.argrpo.eval.imagenet.inception;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/** {@code Mixed_6a}: the 35 -> 17 reduction (strided 3x3, strided double 3x3, max pool). */
final class InceptionB extends ConvBlock {

  private final BasicConv2d branch3x3;
  private final BasicConv2d branch3x3dbl1;
  private final BasicConv2d branch3x3dbl2;
  private final BasicConv2d branch3x3dbl3;

  InceptionB(long in) {
    branch3x3 = unit("branch3x3", BasicConv2d.of(in, 384, 3, 2, 0));
    branch3x3dbl1 = unit("branch3x3dbl_1", BasicConv2d.of(in, 64, 1));
    branch3x3dbl2 = unit("branch3x3dbl_2", BasicConv2d.of(64, 96, 3, 1, 1));
    branch3x3dbl3 = unit("branch3x3dbl_3", BasicConv2d.of(96, 96, 3, 2, 0));
  }

  Tensor forward(Tensor x) {
    Tensor b3 = branch3x3.forward(x);
    Tensor bd = branch3x3dbl3.forward(branch3x3dbl2.forward(branch3x3dbl1.forward(x)));
    return torch.cat(new TensorVector(b3, bd, Pools.max3x3Stride2(x)), 1);
  }
}
