package io.github.argrpo.eval.imagenet.adm;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.runtime.NativeRuntime;

/**
 * The evaluator's {@code _batch_pairwise_distances}: {@code max(|u|^2 - 2 u.v + |v|^2, 0)} between the
 * rows of two feature blocks, on one of the two {@link DistancePath}s.
 *
 * <p>Float16, as TF-GPU evaluates the graph on float16 inputs ({@code h = f16(x)}; its matmul and
 * reduce_sum accumulate in float32 without loss here and round once):
 * {@code n = f16(sum f16(h*h))}, {@code uv = f16(sum h_u h_v)}, {@code t = f16(n_u - 2 uv)},
 * {@code t = f16(t + n_v)}, {@code d = max(t, 0)}. The sums run in float64 (exact products of float16
 * values, rounding far below float16's), then {@link Fp16#round} rounds once.
 *
 * <p>Float32: the same formula in float64, rounded to float32 at the end (the evaluator's float32
 * branch agrees with exact distances on the fixture's inputs).
 */
final class PairwiseDistances {

  private PairwiseDistances() {}

  /** Squared norms of every row of {@code m} on {@code path}. */
  static double[] norms(FeatureMatrix m, DistancePath path) {
    NativeRuntime.init();
    double[] out = new double[m.rows()];
    try (PointerScope scope = new PointerScope()) {
      Tensor x = operand(Tensor.create(m.data(), m.rows(), m.dim()), path);
      Tensor sq = x.mul(x);
      if (path == DistancePath.FP16) {
        // tf.square in float16 rounds each square (exact in float32, so float -> half rounds once)
        sq = sq.to(ScalarType.Float).to(ScalarType.Half).to(ScalarType.Double);
      }
      sq.sum(1L).contiguous().data_ptr_double().get(out);
    }
    if (path == DistancePath.FP16) {
      for (int i = 0; i < out.length; i++) {
        out[i] = Fp16.round(out[i]);
      }
    }
    return out;
  }

  /** {@code x} as the float64 operand of the products: float16-rounded on the fp16 path. */
  static Tensor operand(Tensor x, DistancePath path) {
    return path == DistancePath.FP16 ? x.to(ScalarType.Half).to(ScalarType.Double) : x.to(ScalarType.Double);
  }

  /**
   * Distances between rows {@code [u0, u0 + nu)} of {@code u} and rows {@code [v0, v0 + nv)} of
   * {@code v} (float64 operands from {@link #operand}), written row-major into {@code out}.
   *
   * @return whether every distance is finite (the evaluator's test for keeping the float16 block)
   */
  static boolean block(Tensor u, double[] normsU, int u0, int nu, Tensor v, double[] normsV, int v0, int nv,
      DistancePath path, float[] out) {
    double[] uv = new double[nu * nv];
    try (PointerScope scope = new PointerScope()) {
      u.narrow(0, u0, nu).mm(v.narrow(0, v0, nv).t()).contiguous().data_ptr_double().get(uv);
    }
    boolean finite = true;
    for (int i = 0; i < nu; i++) {
      double nuI = normsU[u0 + i];
      int o = i * nv;
      for (int j = 0; j < nv; j++) {
        double d;
        if (path == DistancePath.FP16) {
          double t = Fp16.round(nuI - 2 * Fp16.round(uv[o + j]));
          t = Fp16.round(t + normsV[v0 + j]);
          d = t > 0 ? t : (Double.isNaN(t) ? t : 0.0);
        } else {
          d = Math.max(nuI - 2 * uv[o + j] + normsV[v0 + j], 0.0);
        }
        float f = (float) d;
        finite &= Float.isFinite(f);
        out[o + j] = f;
      }
    }
    return finite;
  }
}
