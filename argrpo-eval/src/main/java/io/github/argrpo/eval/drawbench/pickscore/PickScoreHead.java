package io.github.argrpo.eval.drawbench.pickscore;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * PickScore's scoring arithmetic: {@code exp(logit_scale) * cos(text, image)} on the CLIP-H projections,
 * with {@code logit_scale} the checkpoint's raw parameter (never assumed to be {@code ln 100}).
 *
 * <pre>{@code
 * double[] s = PickScoreHead.pairs(logitScale, textEmbeds, imageEmbeds);   // AR-GRPO: diag(...), one per pair
 * double[] p = PickScoreHead.softmax(PickScoreHead.prompt(logitScale, text, images)); // PickScore README
 * }</pre>
 *
 * <p>Computed in double from float embeddings; AR-GRPO's DrawBench column is {@link #pairs} / 26
 * ({@link #AR_GRPO_DIVISOR}).
 */
public final class PickScoreHead {

  /** AR-GRPO's {@code pickscore.py} divides the score by 26 ("norm to 0-1"). */
  public static final double AR_GRPO_DIVISOR = 26.0;

  private PickScoreHead() {}

  /** AR-GRPO's form: pair {@code i} is {@code texts[i]} with {@code images[i]}; {@code exp(s) * cos} per pair. */
  public static double[] pairs(double logitScale, float[][] texts, float[][] images) {
    checkArgument(texts.length == images.length,
        "pairs need as many texts as images, got %s and %s", texts.length, images.length);
    double scale = Math.exp(logitScale);
    double[] out = new double[texts.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = scale * cosine(texts[i], images[i]);
    }
    return out;
  }

  /** The PickScore README's form: one prompt against every image. */
  public static double[] prompt(double logitScale, float[] text, float[][] images) {
    double scale = Math.exp(logitScale);
    double[] out = new double[images.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = scale * cosine(text, images[i]);
    }
    return out;
  }

  /** {@code softmax} over the images (the README's {@code probs}), max-shifted. */
  public static double[] softmax(double[] scores) {
    double max = Double.NEGATIVE_INFINITY;
    for (double s : scores) {
      max = Math.max(max, s);
    }
    double sum = 0;
    double[] out = new double[scores.length];
    for (int i = 0; i < scores.length; i++) {
      out[i] = Math.exp(scores[i] - max);
      sum += out[i];
    }
    for (int i = 0; i < out.length; i++) {
      out[i] /= sum;
    }
    return out;
  }

  /** {@code a . b / (|a| |b|)}; both must have the same length. */
  static double cosine(float[] a, float[] b) {
    checkArgument(a.length == b.length, "embeddings differ in size: %s and %s", a.length, b.length);
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / (Math.sqrt(na) * Math.sqrt(nb));
  }
}
