package io.github.argrpo.eval.imagenet;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.eval.imagenet.adm.FeatureMatrix;
import io.github.argrpo.eval.imagenet.adm.FeatureStatistics;
import io.github.argrpo.eval.imagenet.adm.MomentAccumulator;
import io.github.argrpo.eval.imagenet.inception.FidInceptionV3;
import io.github.argrpo.eval.imagenet.inception.InceptionOutputs;

/**
 * What the evaluator keeps of one image set: the pool_3 rows (precision, recall, IS and FID need
 * them) and the statistics of pool_3 and of the spatial features (sFID needs only those, so the
 * 2023-wide rows are streamed into a {@link MomentAccumulator} and dropped).
 *
 * @param pool pool_3 activations, N x 2048
 * @param poolStats their float32 mean and float64 covariance
 * @param spatialStats the statistics of the sFID features
 */
public record SetFeatures(FeatureMatrix pool, FeatureStatistics poolStats, FeatureStatistics spatialStats) {

  private static final Logger LOG = LoggerFactory.getLogger(SetFeatures.class);

  /** Checks presence. */
  public SetFeatures {
    checkNotNull(pool, "pool");
    checkNotNull(poolStats, "poolStats");
    checkNotNull(spatialStats, "spatialStats");
  }

  /**
   * Runs every image of {@code source} through {@code net}, {@code batch} at a time.
   *
   * @param progress called with (images done, total) after each batch; may be null
   */
  public static SetFeatures extract(ImageSource source, FidInceptionV3 net, int batch, Progress progress)
      throws IOException {
    checkArgument(batch >= 1, "batch must be >= 1, got %s", batch);
    int n = source.count();
    float[] pool = new float[Math.multiplyExact(n, InceptionOutputs.POOL_DIM)];
    MomentAccumulator spatial = new MomentAccumulator(InceptionOutputs.SPATIAL_DIM);
    int done = 0;
    for (List<RgbImage> images = source.next(batch); !images.isEmpty(); images = source.next(batch)) {
      if (done + images.size() > n) {
        throw new IOException("the image source gave more than the " + n + " images it announced");
      }
      InceptionOutputs o = net.features(images);
      System.arraycopy(o.pool(), 0, pool, done * InceptionOutputs.POOL_DIM, o.pool().length);
      spatial.add(o.spatial(), o.count());
      done += o.count();
      if (progress != null) {
        progress.update(done, n);
      }
    }
    if (done != n) {
      throw new IOException("the image source ended after " + done + " of " + n + " images");
    }
    LOG.debug("features of {} images", n);
    FeatureMatrix m = new FeatureMatrix(pool, n, InceptionOutputs.POOL_DIM);
    return new SetFeatures(m, m.statistics(), spatial.statistics());
  }

  /** Progress of a feature pass. */
  @FunctionalInterface
  public interface Progress {
    /** {@code done} of {@code total} images have been through the network. */
    void update(int done, int total);
  }
}
