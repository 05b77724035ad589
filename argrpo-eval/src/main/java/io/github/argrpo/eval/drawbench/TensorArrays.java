package io.github.argrpo.eval.drawbench;

import java.util.Arrays;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Copies between small tensors and Java arrays (weights of the heads, embeddings) at the library boundary. */
public final class TensorArrays {

  private TensorArrays() {}

  /** The values of {@code t} (any float dtype, any device) as a row-major float32 array. */
  public static float[] floats(Tensor t) {
    try (PointerScope s = new PointerScope()) {
      Tensor c = t.to(ScalarType.Float).cpu().contiguous();
      float[] out = new float[(int) c.numel()];
      new FloatPointer(c.data_ptr_float()).get(out);
      return out;
    }
  }

  /** The rows of a 2-D tensor {@code [R, C]} as float32 arrays. */
  public static float[][] rows(Tensor t) {
    long[] s = t.sizes().vec().get();
    if (s.length != 2) {
      throw new IllegalArgumentException("expected a 2-D tensor, got shape " + Arrays.toString(s));
    }
    float[] flat = floats(t);
    int r = (int) s[0];
    int c = (int) s[1];
    float[][] out = new float[r][c];
    for (int i = 0; i < r; i++) {
      System.arraycopy(flat, i * c, out[i], 0, c);
    }
    return out;
  }
}
