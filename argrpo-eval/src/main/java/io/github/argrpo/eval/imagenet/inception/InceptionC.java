package io.github.argrpo.eval.imagenet.inception;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * {@code Mixed_6b..6e}: 1x1, factorised 7x7, double factorised 7x7 and average-pool branches
 * (17 x 17). {@link #branches} exposes the branches because sFID reads {@code Mixed_6d}'s 1x1 branch
 * (TF's {@code mixed_6/conv}).
 */
final class InceptionC extends ConvBlock {

  private final BasicConv2d branch1x1;
  private final BasicConv2d[] branch7x7;
  private final BasicConv2d[] branch7x7dbl;
  private final BasicConv2d branchPool;

  InceptionC(long in, long c7) {
    branch1x1 = unit("branch1x1", BasicConv2d.of(in, 192, 1));
    branch7x7 = new BasicConv2d[] {
        unit("branch7x7_1", BasicConv2d.of(in, c7, 1)),
        unit("branch7x7_2", BasicConv2d.row(c7, c7, 7)),
        unit("branch7x7_3", BasicConv2d.column(c7, 192, 7))};
    branch7x7dbl = new BasicConv2d[] {
        unit("branch7x7dbl_1", BasicConv2d.of(in, c7, 1)),
        unit("branch7x7dbl_2", BasicConv2d.column(c7, c7, 7)),
        unit("branch7x7dbl_3", BasicConv2d.row(c7, c7, 7)),
        unit("branch7x7dbl_4", BasicConv2d.column(c7, c7, 7)),
        unit("branch7x7dbl_5", BasicConv2d.row(c7, 192, 7))};
    branchPool = unit("branch_pool", BasicConv2d.of(in, 192, 1));
  }

  /** The four branch outputs, in concatenation order (1x1 first). */
  Tensor[] branches(Tensor x) {
    Tensor b7 = x;
    for (BasicConv2d c : branch7x7) {
      b7 = c.forward(b7);
    }
    Tensor bd = x;
    for (BasicConv2d c : branch7x7dbl) {
      bd = c.forward(bd);
    }
    return new Tensor[] {branch1x1.forward(x), b7, bd, branchPool.forward(Pools.avg3x3(x))};
  }

  static Tensor concat(Tensor[] branches) {
    return torch.cat(new TensorVector(branches), 1);
  }

  Tensor forward(Tensor x) {
    return concat(branches(x));
  }
}
