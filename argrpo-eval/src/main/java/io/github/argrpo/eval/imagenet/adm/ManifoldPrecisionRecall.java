package io.github.argrpo.eval.imagenet.adm;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.runtime.NativeRuntime;

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019) as the ADM evaluator's
 * {@code compute_prec_recall} computes them, with its {@code ManifoldEstimator} (k = 3, blocks of
 * 10,000 x 10,000) and its {@code DistanceBlock}.
 *
 * <ul>
 *   <li>{@code radius_i} = the squared distance from point i to its k-th nearest neighbour in its own
 *       set: the (k+1)-th smallest entry of its distance row, the point itself included
 *       ({@code np.partition(row, [0..k])[k]}).</li>
 *   <li>precision = the fraction of sample points within {@code radius_ref_i} of some reference point
 *       i; recall = the fraction of reference points within {@code radius_sample_j} of some sample
 *       point j ({@code <=}).</li>
 *   <li>Distances follow {@link DistancePath}: by default the evaluator's float16 ones, with its
 *       float32 fallback for a block that has a non-finite distance.</li>
 * </ul>
 *
 * <pre>{@code
 * ManifoldPrecisionRecall.Result pr = ManifoldPrecisionRecall.defaults(DistancePath.FP16).compute(refPool, samplePool);
 * }</pre>
 *
 * @param k the neighbourhood size (the evaluator: 3)
 * @param rowBatch rows per distance block (the evaluator: 10,000)
 * @param colBatch columns per distance block (the evaluator: 10,000)
 * @param path the distance arithmetic
 */
public record ManifoldPrecisionRecall(int k, int rowBatch, int colBatch, DistancePath path) {

  /** Rows computed per native product inside a block (memory only; values do not depend on it). */
  private static final int CHUNK = 256;

  /** Validates the parameters. */
  public ManifoldPrecisionRecall {
    checkNotNull(path, "path");
    checkArgument(k >= 1 && rowBatch >= 1 && colBatch >= 1,
        "k, rowBatch and colBatch must be >= 1, got %s, %s, %s", k, rowBatch, colBatch);
  }

  /** The evaluator's settings (k = 3, 10,000 x 10,000 blocks) on {@code path}. */
  public static ManifoldPrecisionRecall defaults(DistancePath path) {
    return new ManifoldPrecisionRecall(3, 10_000, 10_000, path);
  }

  /**
   * The outcome.
   *
   * @param precision fraction of sample points inside the reference manifold
   * @param recall fraction of reference points inside the sample manifold
   * @param refRadii the reference set's k-NN radii (squared distances)
   * @param sampleRadii the sample set's k-NN radii
   * @param refInSampleManifold per reference point: inside the sample manifold
   * @param sampleInRefManifold per sample point: inside the reference manifold
   * @param fp32FallbackBlocks blocks that fell back to float32 on the fp16 path (0 for real features)
   */
  public record Result(double precision, double recall, float[] refRadii, float[] sampleRadii,
      boolean[] refInSampleManifold, boolean[] sampleInRefManifold, int fp32FallbackBlocks) {}

  /**
   * Precision and recall of {@code sample} against {@code ref}.
   *
   * @throws IllegalArgumentException if the dimensions differ or a set has k points or fewer
   */
  public Result compute(FeatureMatrix ref, FeatureMatrix sample) {
    checkArgument(ref.dim() == sample.dim(),
        "reference features have %s dimensions, samples %s", ref.dim(), sample.dim());
    checkArgument(!(ref.rows() <= k) && !(sample.rows() <= k),
        "precision/recall with k = %s needs more than %s points per set, got %s reference and %s sample points", k, k,
        ref.rows(), sample.rows());
    NativeRuntime.init();
    Operands r = new Operands(ref);
    Operands s = new Operands(sample);
    int[] fallbacks = new int[1];
    float[] refRadii = radii(r, fallbacks);
    float[] sampleRadii = radii(s, fallbacks);
    boolean[] refIn = new boolean[ref.rows()];
    boolean[] sampleIn = new boolean[sample.rows()];
    for (int r0 = 0; r0 < ref.rows(); r0 += rowBatch) {
      int nr = Math.min(rowBatch, ref.rows() - r0);
      for (int c0 = 0; c0 < sample.rows(); c0 += colBatch) {
        int nc = Math.min(colBatch, sample.rows() - c0);
        boolean[] rowIn = new boolean[nr];
        boolean[] colIn = new boolean[nc];
        if (!decide(r, s, r0, nr, c0, nc, path, refRadii, sampleRadii, rowIn, colIn)) {
          fallbacks[0]++;
          Arrays.fill(rowIn, false);
          Arrays.fill(colIn, false);
          decide(r, s, r0, nr, c0, nc, DistancePath.FP32, refRadii, sampleRadii, rowIn, colIn);
        }
        for (int i = 0; i < nr; i++) {
          refIn[r0 + i] |= rowIn[i];
        }
        for (int j = 0; j < nc; j++) {
          sampleIn[c0 + j] |= colIn[j];
        }
      }
    }
    r.close();
    s.close();
    return new Result(fraction(sampleIn), fraction(refIn), refRadii, sampleRadii, refIn, sampleIn, fallbacks[0]);
  }

  private float[] radii(Operands x, int[] fallbacks) {
    int n = x.rows;
    float[] radii = new float[n];
    float[][] best = new float[n][];
    for (int r0 = 0; r0 < n; r0 += rowBatch) {
      int nr = Math.min(rowBatch, n - r0);
      for (int c0 = 0; c0 < n; c0 += colBatch) {
        int nc = Math.min(colBatch, n - c0);
        float[][] tile = smallest(x, r0, nr, c0, nc, path);
        if (tile == null) {
          fallbacks[0]++;
          tile = smallest(x, r0, nr, c0, nc, DistancePath.FP32);
        }
        for (int i = 0; i < nr; i++) {
          if (best[r0 + i] == null) {
            best[r0 + i] = tile[i];
          } else {
            for (float v : tile[i]) {
              insert(best[r0 + i], v);
            }
          }
        }
      }
    }
    for (int i = 0; i < n; i++) {
      radii[i] = best[i][k];
    }
    return radii;
  }

  /** Per row of the block, its k+1 smallest distances in ascending order; null if one is not finite. */
  private float[][] smallest(Operands x, int r0, int nr, int c0, int nc, DistancePath p) {
    float[][] out = new float[nr][];
    float[] d = new float[Math.min(CHUNK, nr) * nc];
    for (int a = 0; a < nr; a += CHUNK) {
      int na = Math.min(CHUNK, nr - a);
      if (!PairwiseDistances.block(x.operand(p), x.norms(p), r0 + a, na, x.operand(p), x.norms(p), c0, nc, p, d)) {
        return null;
      }
      for (int i = 0; i < na; i++) {
        float[] b = new float[k + 1];
        Arrays.fill(b, Float.POSITIVE_INFINITY);
        for (int j = 0; j < nc; j++) {
          insert(b, d[i * nc + j]);
        }
        out[a + i] = b;
      }
    }
    return out;
  }

  /** The block's manifold decisions into {@code rowIn}/{@code colIn}; false if a distance is not finite. */
  private boolean decide(Operands r, Operands s, int r0, int nr, int c0, int nc, DistancePath p,
      float[] refRadii, float[] sampleRadii, boolean[] rowIn, boolean[] colIn) {
    float[] d = new float[Math.min(CHUNK, nr) * nc];
    for (int a = 0; a < nr; a += CHUNK) {
      int na = Math.min(CHUNK, nr - a);
      if (!PairwiseDistances.block(r.operand(p), r.norms(p), r0 + a, na, s.operand(p), s.norms(p), c0, nc, p, d)) {
        return false;
      }
      for (int i = 0; i < na; i++) {
        float radiusRef = refRadii[r0 + a + i];
        for (int j = 0; j < nc; j++) {
          float v = d[i * nc + j];
          if (v <= sampleRadii[c0 + j]) {
            rowIn[a + i] = true;
          }
          if (v <= radiusRef) {
            colIn[j] = true;
          }
        }
      }
    }
    return true;
  }

  /** Inserts {@code v} into the ascending array {@code b} if it is among its smallest. */
  private static void insert(float[] b, float v) {
    int last = b.length - 1;
    if (!(v < b[last])) {
      return;
    }
    int i = last;
    while (i > 0 && b[i - 1] > v) {
      b[i] = b[i - 1];
      i--;
    }
    b[i] = v;
  }

  private static double fraction(boolean[] in) {
    long c = 0;
    for (boolean b : in) {
      if (b) {
        c++;
      }
    }
    return (double) c / in.length;
  }

  /** A set's float64 product operands and squared norms, per path, made on first use. */
  private static final class Operands {
    final FeatureMatrix m;
    final int rows;
    private final Tensor[] operands = new Tensor[DistancePath.values().length];
    private final double[][] norms = new double[DistancePath.values().length][];

    Operands(FeatureMatrix m) {
      this.m = m;
      this.rows = m.rows();
    }

    Tensor operand(DistancePath p) {
      if (operands[p.ordinal()] == null) {
        try (PointerScope scope = new PointerScope()) {
          Tensor t = PairwiseDistances.operand(Tensor.create(m.data(), m.rows(), m.dim()), p).contiguous();
          t.retainReference();
          operands[p.ordinal()] = t;
        }
      }
      return operands[p.ordinal()];
    }

    double[] norms(DistancePath p) {
      if (norms[p.ordinal()] == null) {
        norms[p.ordinal()] = PairwiseDistances.norms(m, p);
      }
      return norms[p.ordinal()];
    }

    void close() {
      for (Tensor t : operands) {
        if (t != null) {
          t.releaseReference();
        }
      }
    }
  }
}
