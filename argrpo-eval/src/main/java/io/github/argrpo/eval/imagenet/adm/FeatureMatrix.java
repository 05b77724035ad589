package io.github.argrpo.eval.imagenet.adm;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Objects;

/**
 * Activations as the evaluator receives them: {@code rows x dim} float32 values, row-major. 50,000
 * pool_3 rows are 400 MB of heap.
 *
 * @param data the values, row-major, exactly {@code rows * dim} of them
 * @param rows the number of images
 * @param dim the feature dimension
 */
public record FeatureMatrix(float[] data, int rows, int dim) {

  /** Validates the shape. */
  public FeatureMatrix {
    checkNotNull(data, "data");
    checkArgument(rows >= 0 && dim >= 1, "need rows >= 0 and dim >= 1, got %s x %s", rows, dim);
    checkArgument((long) rows * dim == data.length, "a %s x %s matrix needs %s values, got %s", rows, dim,
        (long) rows * dim, data.length);
  }

  /** Rows {@code [from, to)} copied into a new matrix. */
  public FeatureMatrix rows(int from, int to) {
    Objects.checkFromToIndex(from, to, rows);
    float[] d = new float[(to - from) * dim];
    System.arraycopy(data, from * dim, d, 0, d.length);
    return new FeatureMatrix(d, to - from, dim);
  }

  /** The float32 mean and float64 covariance of the rows. */
  public FeatureStatistics statistics() {
    return MomentAccumulator.of(data, rows, dim);
  }
}
