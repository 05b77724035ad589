package io.github.argrpo.eval.imagenet.adm;

import static com.google.common.base.Preconditions.checkArgument;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.runtime.NativeRuntime;

/**
 * The ADM evaluator's {@code compute_inception_score}: {@code preds = softmax(pool @ W)} with
 * {@code W} the 2048 x 1008 {@code softmax/logits/MatMul} weight (the fc weight transposed, applied
 * without the bias), then for each split of {@code splitSize} rows
 * {@code exp(mean_rows(sum_classes(p * (log p - log mean_rows(p)))))}, and the mean over splits.
 *
 * <p>Numerics as the evaluator's: the logits and the softmax are float32 values (computed in float64
 * and rounded once, as TF's float32 kernels round their results); the score itself is numpy float32
 * arithmetic, with the column means summed row after row in float32 and the two reductions numpy
 * sums pairwise (summed in float64 here and rounded, which is as close). The last split may be partial.
 *
 * <pre>{@code
 * double is = InceptionScore.compute(samplePool, isWeight, 1008, InceptionScore.SPLIT_SIZE);
 * }</pre>
 */
public final class InceptionScore {

  /** The evaluator's split size. */
  public static final int SPLIT_SIZE = 5000;

  private InceptionScore() {}

  /**
   * The Inception Score of {@code pool}.
   *
   * @param pool the sample set's pool_3 activations (N x D)
   * @param weight W, D x classes, row-major (W[i][j] for pool feature i and class j)
   * @param classes the number of classes (1008 for the TF-2015 InceptionV3)
   * @param splitSize rows per split (the evaluator: 5000)
   */
  public static double compute(FeatureMatrix pool, float[] weight, int classes, int splitSize) {
    checkArgument(classes >= 1 && (long) pool.dim() * classes == weight.length,
        "weight must be %s x %s, got %s values", pool.dim(), classes, weight.length);
    checkArgument(splitSize >= 1, "splitSize must be >= 1, got %s", splitSize);
    checkArgument(pool.rows() != 0, "no sample rows for the Inception Score");
    NativeRuntime.init();
    double scoresSum = 0;
    int splits = 0;
    try (PointerScope scope = new PointerScope()) {
      Tensor w = Tensor.create(weight, pool.dim(), classes).to(ScalarType.Double);
      for (int from = 0; from < pool.rows(); from += splitSize) {
        int to = Math.min(pool.rows(), from + splitSize);
        float[] preds = softmax(pool.rows(from, to), w, classes);
        scoresSum += (float) splitScore(preds, to - from, classes);
        splits++;
      }
    }
    return (float) (scoresSum / splits);
  }

  /** float32 softmax rows of {@code rows @ w}, each logit and probability rounded to float32. */
  private static float[] softmax(FeatureMatrix rows, Tensor w, int classes) {
    try (PointerScope scope = new PointerScope()) {
      Tensor x = Tensor.create(rows.data(), rows.rows(), rows.dim()).to(ScalarType.Double);
      Tensor logits = x.mm(w).to(ScalarType.Float).to(ScalarType.Double);
      Tensor p = logits.softmax(1).to(ScalarType.Float).contiguous();
      float[] out = new float[rows.rows() * classes];
      p.data_ptr_float().get(out);
      return out;
    }
  }

  /** One split's {@code exp(mean KL(p(y|x) || p(y)))}, numpy float32 arithmetic. */
  static double splitScore(float[] p, int n, int classes) {
    float[] colSum = new float[classes];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < classes; j++) {
        colSum[j] += p[i * classes + j];
      }
    }
    float[] logMean = new float[classes];
    for (int j = 0; j < classes; j++) {
      logMean[j] = (float) Math.log(colSum[j] / (float) n);
    }
    double rowsTotal = 0;
    for (int i = 0; i < n; i++) {
      double row = 0;
      for (int j = 0; j < classes; j++) {
        float v = p[i * classes + j];
        float logV = (float) Math.log(v);
        row += v * (logV - logMean[j]);
      }
      rowsTotal += (float) row;
    }
    float meanKl = (float) (rowsTotal / n);
    return (float) Math.exp(meanKl);
  }
}
