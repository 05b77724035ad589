package io.github.argrpo.eval.imagenet;

/**
 * The five numbers of the paper's Table 2 and the settings they were computed with.
 *
 * @param fid Fréchet Inception Distance (pool_3)
 * @param sfid spatial FID (Mixed_6d 1x1 branch, 7 channels)
 * @param inceptionScore Inception Score (splits of 5000, bias-free logits)
 * @param precision improved precision (k = 3)
 * @param recall improved recall (k = 3)
 * @param samples sample images evaluated
 * @param referenceImages reference images whose activations precision/recall used
 * @param networkPrecision the InceptionV3 arithmetic ({@code fp32} or {@code bf16})
 * @param distancePath the precision/recall distances ({@code fp16}: the evaluator's, or {@code fp32})
 * @param referenceStatistics where the reference mu/sigma came from ({@code npz}, {@code cache} or {@code computed})
 * @param fidEpsRetry whether FID needed the evaluator's eps = 1e-6 retry
 * @param sfidEpsRetry whether sFID needed it
 * @param fp32FallbackBlocks distance blocks that overflowed float16 and fell back to float32
 */
public record ImageNetMetrics(double fid, double sfid, double inceptionScore, double precision, double recall,
    int samples, int referenceImages, String networkPrecision, String distancePath, String referenceStatistics,
    boolean fidEpsRetry, boolean sfidEpsRetry, int fp32FallbackBlocks) {}
