package io.github.argrpo.eval.imagenet.inception;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * What the network gives per image, as float32 arrays of {@code count} rows, row-major.
 *
 * @param count the number of images
 * @param pool pool_3 (2048 per image): the FID, precision and recall features
 * @param logitsUnbiased {@code pool @ fc.weight^T} (1008): the ADM Inception Score logits
 * @param logits {@code pool @ fc.weight^T + fc.bias} (1008): TF's {@code softmax/logits}
 * @param spatial the sFID features (2023): the first 7 channels of {@code Mixed_6d}'s 1x1 branch
 *     (TF {@code mixed_6/conv}), NHWC-flattened
 */
public record InceptionOutputs(int count, float[] pool, float[] logitsUnbiased, float[] logits, float[] spatial) {

  /** pool_3 features per image. */
  public static final int POOL_DIM = 2048;
  /** Classes of the TF-2015 network (1000 ImageNet classes and 8 unused). */
  public static final int CLASSES = 1008;
  /** sFID features per image: 7 channels x 17 x 17. */
  public static final int SPATIAL_DIM = 7 * 17 * 17;

  /** Checks the lengths. */
  public InceptionOutputs {
    check("pool", pool, (long) count * POOL_DIM);
    check("logitsUnbiased", logitsUnbiased, (long) count * CLASSES);
    check("logits", logits, (long) count * CLASSES);
    check("spatial", spatial, (long) count * SPATIAL_DIM);
  }

  private static void check(String name, float[] v, long n) {
    checkArgument(v != null && v.length == n, "%s must hold %s values, got %s", name, n,
        v == null ? "null" : v.length);
  }
}
