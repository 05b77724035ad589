package io.github.argrpo.eval.imagenet.adm;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.runtime.NativeRuntime;

/**
 * Streams float32 activations, batch by batch, into {@link FeatureStatistics}, so 50,000 feature rows
 * never need to sit in memory at once.
 *
 * <p>The mean reproduces numpy's float32 {@code np.mean(x, axis=0)} bit for bit: a float32 running sum
 * over the rows in order, divided by N in float32. The covariance is numpy's float64 {@code np.cov}
 * (centred by the float64 mean, divided by N - 1); it is accumulated about a shift (the first batch's
 * float64 mean), {@code (S - s s^T / n) / (n - 1)}, which is the centred sum up to float64 rounding of
 * the (small) shift residual, and lets each batch go through one float64 matrix product.
 *
 * <pre>{@code
 * MomentAccumulator acc = new MomentAccumulator(2048);
 * acc.add(batchRows, batchSize);   // row-major float32, any number of times
 * FeatureStatistics stats = acc.statistics();
 * }</pre>
 */
public final class MomentAccumulator {

  /** Rows per float64 product. */
  private static final int CHUNK_ROWS = 1024;

  private final int dim;
  private final float[] sum32;
  private final double[] shift;
  private final double[] shiftedSum;
  private double[] scatter;
  private long count;

  /** An empty accumulator for rows of {@code dim} features. */
  public MomentAccumulator(int dim) {
    checkArgument(dim >= 1, "dim must be >= 1, got %s", dim);
    this.dim = dim;
    this.sum32 = new float[dim];
    this.shift = new double[dim];
    this.shiftedSum = new double[dim];
  }

  /** The feature dimension. */
  public int dim() {
    return dim;
  }

  /** Rows added so far. */
  public long count() {
    return count;
  }

  /**
   * Adds {@code rows} rows of {@code data} (row-major, {@code rows * dim} floats from the start).
   *
   * @throws IllegalArgumentException if {@code data} is shorter than {@code rows * dim}
   */
  public void add(float[] data, int rows) {
    checkArgument(rows >= 0 && !((long) rows * dim > data.length),
        "need %s x %s floats, got %s", rows, dim, data.length);
    if (rows == 0) {
      return;
    }
    if (count == 0) {
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < dim; j++) {
          shift[j] += data[r * dim + j];
        }
      }
      for (int j = 0; j < dim; j++) {
        shift[j] /= rows;
      }
      scatter = new double[dim * dim];
    }
    // chunks bound the float64 copy (50,000 x 2048 rows at once would be 800 MB)
    for (int from = 0; from < rows; from += CHUNK_ROWS) {
      int n = Math.min(CHUNK_ROWS, rows - from);
      double[] centred = new double[n * dim];
      for (int r = 0; r < n; r++) {
        int src = (from + r) * dim;
        int o = r * dim;
        for (int j = 0; j < dim; j++) {
          float v = data[src + j];
          sum32[j] += v; // float32, row after row: numpy's order for axis=0 of a C-contiguous array
          double c = v - shift[j];
          centred[o + j] = c;
          shiftedSum[j] += c;
        }
      }
      NativeRuntime.init();
      try (PointerScope scope = new PointerScope()) {
        Tensor x = Tensor.create(centred, n, dim);
        Tensor s = x.t().mm(x).contiguous();
        double[] part = new double[dim * dim];
        s.data_ptr_double().get(part);
        for (int i = 0; i < part.length; i++) {
          scatter[i] += part[i];
        }
      }
    }
    count += rows;
  }

  /**
   * The statistics of every row added.
   *
   * @throws IllegalStateException with fewer than 2 rows (the covariance divides by N - 1)
   */
  public FeatureStatistics statistics() {
    checkState(count >= 2, "need at least 2 feature rows for a covariance, got %s", count);
    float n32 = (float) count;
    float[] mu = new float[dim];
    for (int j = 0; j < dim; j++) {
      mu[j] = sum32[j] / n32;
    }
    double[] sigma = new double[dim * dim];
    double n = count;
    for (int i = 0; i < dim; i++) {
      for (int j = 0; j < dim; j++) {
        sigma[i * dim + j] = (scatter[i * dim + j] - shiftedSum[i] * shiftedSum[j] / n) / (n - 1);
      }
    }
    return new FeatureStatistics(mu, sigma, count);
  }

  /** The statistics of {@code rows x dim} row-major floats in one go. */
  public static FeatureStatistics of(float[] data, int rows, int dim) {
    MomentAccumulator acc = new MomentAccumulator(dim);
    acc.add(data, rows);
    return acc.statistics();
  }
}
