package io.github.argrpo.eval.imagenet.inception;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * {@code Mixed_7b}, {@code Mixed_7c}: 1x1, split 3x3, split double 3x3 and pool branches (8 x 8). The
 * TF graph pools by average in {@code Mixed_7b} and by max in {@code Mixed_7c} (the FID port's patch).
 */
final class InceptionE extends ConvBlock {

  private final BasicConv2d branch1x1;
  private final BasicConv2d branch3x3a;
  private final BasicConv2d branch3x3b1;
  private final BasicConv2d branch3x3b2;
  private final BasicConv2d branch3x3dbl1;
  private final BasicConv2d branch3x3dbl2;
  private final BasicConv2d branch3x3dbl3a;
  private final BasicConv2d branch3x3dbl3b;
  private final BasicConv2d branchPool;
  private final boolean maxPool;

  /**
   * @param in input channels
   * @param maxPool true for {@code Mixed_7c} (max pool branch), false for {@code Mixed_7b} (average)
   */
  InceptionE(long in, boolean maxPool) {
    branch1x1 = unit("branch1x1", BasicConv2d.of(in, 320, 1));
    branch3x3a = unit("branch3x3_1", BasicConv2d.of(in, 384, 1));
    branch3x3b1 = unit("branch3x3_2a", BasicConv2d.row(384, 384, 3));
    branch3x3b2 = unit("branch3x3_2b", BasicConv2d.column(384, 384, 3));
    branch3x3dbl1 = unit("branch3x3dbl_1", BasicConv2d.of(in, 448, 1));
    branch3x3dbl2 = unit("branch3x3dbl_2", BasicConv2d.of(448, 384, 3, 1, 1));
    branch3x3dbl3a = unit("branch3x3dbl_3a", BasicConv2d.row(384, 384, 3));
    branch3x3dbl3b = unit("branch3x3dbl_3b", BasicConv2d.column(384, 384, 3));
    branchPool = unit("branch_pool", BasicConv2d.of(in, 192, 1));
    this.maxPool = maxPool;
  }

  Tensor forward(Tensor x) {
    Tensor b1 = branch1x1.forward(x);
    Tensor s = branch3x3a.forward(x);
    Tensor b3 = torch.cat(new TensorVector(branch3x3b1.forward(s), branch3x3b2.forward(s)), 1);
    Tensor d = branch3x3dbl2.forward(branch3x3dbl1.forward(x));
    Tensor bd = torch.cat(new TensorVector(branch3x3dbl3a.forward(d), branch3x3dbl3b.forward(d)), 1);
    Tensor bp = branchPool.forward(maxPool ? Pools.max3x3(x) : Pools.avg3x3(x));
    return torch.cat(new TensorVector(b1, b3, bd, bp), 1);
  }
}
