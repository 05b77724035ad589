package io.github.argrpo.eval.imagenet.inception;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/** {@code Mixed_5b..5d}: 1x1, 5x5, double 3x3 and average-pool branches (35 x 35). */
final class InceptionA extends ConvBlock {

  private final BasicConv2d branch1x1;
  private final BasicConv2d branch5x5a;
  private final BasicConv2d branch5x5b;
  private final BasicConv2d branch3x3dbl1;
  private final BasicConv2d branch3x3dbl2;
  private final BasicConv2d branch3x3dbl3;
  private final BasicConv2d branchPool;

  InceptionA(long in, long poolFeatures) {
    branch1x1 = unit("branch1x1", BasicConv2d.of(in, 64, 1));
    branch5x5a = unit("branch5x5_1", BasicConv2d.of(in, 48, 1));
    branch5x5b = unit("branch5x5_2", BasicConv2d.of(48, 64, 5, 1, 2));
    branch3x3dbl1 = unit("branch3x3dbl_1", BasicConv2d.of(in, 64, 1));
    branch3x3dbl2 = unit("branch3x3dbl_2", BasicConv2d.of(64, 96, 3, 1, 1));
    branch3x3dbl3 = unit("branch3x3dbl_3", BasicConv2d.of(96, 96, 3, 1, 1));
    branchPool = unit("branch_pool", BasicConv2d.of(in, poolFeatures, 1));
  }

  Tensor forward(Tensor x) {
    Tensor b1 = branch1x1.forward(x);
    Tensor b5 = branch5x5b.forward(branch5x5a.forward(x));
    Tensor b3 = branch3x3dbl3.forward(branch3x3dbl2.forward(branch3x3dbl1.forward(x)));
    Tensor bp = branchPool.forward(Pools.avg3x3(x));
    return torch.cat(new TensorVector(b1, b5, b3, bp), 1);
  }
}
