package io.github.argrpo.eval.imagenet;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.eval.imagenet.adm.DistancePath;
import io.github.argrpo.eval.imagenet.adm.FrechetDistance;
import io.github.argrpo.eval.imagenet.adm.InceptionScore;
import io.github.argrpo.eval.imagenet.adm.ManifoldPrecisionRecall;
import io.github.argrpo.eval.imagenet.inception.FidInceptionV3;
import io.github.argrpo.eval.imagenet.inception.InceptionOutputs;

/**
 * FID, sFID, Inception Score, precision and recall of a sample set against an ADM reference batch,
 * as OpenAI's evaluator ({@code guided-diffusion/evaluations/evaluator.py}) computes them, without
 * TensorFlow.
 *
 * <pre>{@code
 * ImageNetEvaluator ev = new ImageNetEvaluator(Precision.FP32, DistancePath.FP16, 50);
 * ImageNetMetrics m = ev.evaluate(Path.of("samples.npz"), Path.of("VIRTUAL_imagenet256_labeled.npz"),
 *     Path.of("pt_inception-2015-12-05-6726825d.pth"), null);
 * }</pre>
 *
 * @param precision the network's arithmetic (fp32 is what the evaluator's TF graph does)
 * @param distancePath precision/recall distances (fp16 is what the evaluator computed)
 * @param batch images per network call
 */
public record ImageNetEvaluator(Precision precision, DistancePath distancePath, int batch) {

  private static final Logger LOG = LoggerFactory.getLogger(ImageNetEvaluator.class);

  /** Validates the settings. */
  public ImageNetEvaluator {
    checkNotNull(precision, "precision");
    checkNotNull(distancePath, "distancePath");
    checkArgument(batch >= 1, "batch must be >= 1, got %s", batch);
  }

  /**
   * Evaluates {@code samples} (an {@code .npz} or a PNG folder) against reference batch {@code ref}.
   *
   * @param inception the InceptionV3 weights ({@code pt_inception-2015-12-05-6726825d.pth} or the
   *     same keys as safetensors)
   * @param progress feature-pass progress (reference, then samples); may be null
   */
  public ImageNetMetrics evaluate(Path samples, Path ref, Path inception, SetFeatures.Progress progress)
      throws IOException {
    try (FidInceptionV3 net = FidInceptionV3.load(inception, precision)) {
      ReferenceBatch reference = ReferenceBatch.load(ref, net, inception, batch, progress);
      SetFeatures sample;
      try (ImageSource images = ImageSource.open(samples)) {
        LOG.info("features of {} sample images from {}", images.count(), samples);
        sample = SetFeatures.extract(images, net, batch, progress);
      }
      float[] isWeight = net.inceptionScoreWeight();
      LOG.info("statistics: FID, sFID, Inception Score, precision/recall ({} distances)", distancePath.label());
      FrechetDistance.Result fid = FrechetDistance.compute(sample.poolStats(), reference.poolStats());
      FrechetDistance.Result sfid = FrechetDistance.compute(sample.spatialStats(), reference.spatialStats());
      double is = InceptionScore.compute(sample.pool(), isWeight, InceptionOutputs.CLASSES, InceptionScore.SPLIT_SIZE);
      ManifoldPrecisionRecall.Result pr = ManifoldPrecisionRecall.defaults(distancePath)
          .compute(reference.pool(), sample.pool());
      return new ImageNetMetrics(fid.value(), sfid.value(), is, pr.precision(), pr.recall(), sample.pool().rows(),
          reference.pool().rows(), precision.name().toLowerCase(Locale.ROOT), distancePath.label(),
          reference.statisticsSource(), fid.epsRetry(), sfid.epsRetry(), pr.fp32FallbackBlocks());
    }
  }
}
