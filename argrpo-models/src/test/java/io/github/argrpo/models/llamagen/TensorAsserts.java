package io.github.argrpo.models.llamagen;

import java.util.Arrays;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Tensor comparisons with messages that say where and by how much. */
public final class TensorAsserts {

  private TensorAsserts() {}

  /**
   * Fails unless {@code |actual - expected| <= atol + rtol * |expected|} everywhere (numpy's
   * {@code allclose}); shapes must be equal.
   */
  public static void assertClose(String what, Tensor actual, Tensor expected, double atol, double rtol) {
    try (PointerScope s = new PointerScope()) {
      if (!Arrays.equals(actual.shape(), expected.shape())) {
        throw new AssertionError(what + ": expected shape " + Arrays.toString(expected.shape()) + ", got "
            + Arrays.toString(actual.shape()));
      }
      Tensor a = actual.detach().to(ScalarType.Double).cpu();
      Tensor e = expected.detach().to(ScalarType.Double).cpu();
      Tensor diff = a.sub(e).abs();
      Tensor excess = diff.sub(e.abs().mul(new Scalar(rtol)).add(new Scalar(atol)));
      double worst = excess.max().item_double();
      double maxDiff = diff.max().item_double();
      if (!(worst <= 0) || Double.isNaN(maxDiff)) {
        long idx = excess.flatten().argmax().item().toLong();
        throw new AssertionError(String.format("%s: not within atol %.1e + rtol %.1e; max |diff| %.3e, worst at flat "
            + "index %d: got %.7g, expected %.7g", what, atol, rtol, maxDiff, idx,
            a.flatten().select(0, idx).item_double(), e.flatten().select(0, idx).item_double()));
      }
    }
  }

  /** The max absolute difference of two tensors (as doubles). */
  public static double maxAbsDiff(Tensor a, Tensor b) {
    try (PointerScope s = new PointerScope()) {
      return a.detach().to(ScalarType.Double).cpu().sub(b.detach().to(ScalarType.Double).cpu()).abs().max().item_double();
    }
  }

  /** Integer tensor contents as a Java array (any integer dtype, any device). */
  public static long[] longs(Tensor t) {
    try (PointerScope s = new PointerScope()) {
      Tensor c = t.detach().to(ScalarType.Long).cpu().contiguous();
      long[] out = new long[(int) c.numel()];
      new LongPointer(c.data_ptr_long()).get(out);
      return out;
    }
  }

  /** Float tensor contents as a Java array. */
  public static float[] floats(Tensor t) {
    try (PointerScope s = new PointerScope()) {
      Tensor c = t.detach().to(ScalarType.Float).cpu().contiguous();
      float[] out = new float[(int) c.numel()];
      c.data_ptr_float().get(out);
      return out;
    }
  }
}
