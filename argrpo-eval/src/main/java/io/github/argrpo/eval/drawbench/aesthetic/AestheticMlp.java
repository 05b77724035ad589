package io.github.argrpo.eval.drawbench.aesthetic;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.bytedeco.javacpp.PointerScope;

import io.github.argrpo.eval.drawbench.TensorArrays;
import io.github.argrpo.weights.WeightFiles;
import io.github.argrpo.weights.WeightSource;

/**
 * The LAION aesthetic predictor's head ({@code improved-aesthetic-predictor} {@code MLP}, weights
 * {@code sac+logos+ava1-l14-linearMSE.pth}): {@code Linear(768,1024), Dropout, Linear(1024,128), Dropout,
 * Linear(128,64), Dropout, Linear(64,16), Linear(16,1)} on an L2-normalised CLIP ViT-L/14 image embedding.
 *
 * <pre>{@code
 * AestheticMlp mlp = AestheticMlp.load(Path.of("sac+logos+ava1-l14-linearMSE.pth"));
 * double score = mlp.score(embedding768);      // about 1..10 on real weights
 * }</pre>
 *
 * <p>The reference comments its ReLUs out and dropout is the identity in eval mode, so the head is five
 * affine maps in a row; they are applied one after another (in double) rather than folded, to keep the
 * layers recognisable. Immutable and thread-safe.
 */
public final class AestheticMlp {

  /** The state-dict indices of the five linear layers inside {@code layers} (dropouts in between). */
  private static final int[] LAYER_INDICES = {0, 2, 4, 6, 7};
  private static final int[] WIDTHS = {768, 1024, 128, 64, 16, 1};

  private final float[][][] weights;
  private final float[][] biases;

  private AestheticMlp(float[][][] weights, float[][] biases) {
    this.weights = weights;
    this.biases = biases;
  }

  /** Reads the head from {@code .pth} (torch.save zip) or {@code .safetensors}; keys {@code layers.{0,2,4,6,7}.{weight,bias}}. */
  public static AestheticMlp load(Path file) {
    try (WeightSource w = WeightFiles.open(file)) {
      return load(w);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the aesthetic head " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the head from {@code w}.
   *
   * @throws IllegalArgumentException if a key is missing or a shape is not the reference's
   */
  public static AestheticMlp load(WeightSource w) {
    float[][][] ws = new float[5][][];
    float[][] bs = new float[5][];
    try (PointerScope s = new PointerScope()) {
      for (int l = 0; l < 5; l++) {
        String wk = "layers." + LAYER_INDICES[l] + ".weight";
        String bk = "layers." + LAYER_INDICES[l] + ".bias";
        long[] want = {WIDTHS[l + 1], WIDTHS[l]};
        checkArgument(w.keys().contains(wk) && w.keys().contains(bk),
            "aesthetic head needs %s and %s (the keys of sac+logos+ava1-l14-linearMSE.pth), found %s", wk, bk,
            w.keys());
        long[] got = w.info(wk).shape();
        if (!Arrays.equals(want, got)) {
          throw new IllegalArgumentException(wk + " must have shape " + Arrays.toString(want) + ", got " + Arrays.toString(got));
        }
        ws[l] = TensorArrays.rows(w.read(wk));
        bs[l] = TensorArrays.floats(w.read(bk));
        checkArgument(bs[l].length == WIDTHS[l + 1], "%s must have %s values, got %s", bk, WIDTHS[l + 1],
            bs[l].length);
      }
    }
    return new AestheticMlp(ws, bs);
  }

  /**
   * {@code simple_inference.py}'s {@code normalized()}: {@code a / |a|} in float32, where a zero norm is
   * replaced by 1 (so a zero embedding stays zero; AR-GRPO's {@code aesthscore.py} has no such guard and
   * would give NaN).
   */
  public static float[] normalize(float[] a) {
    double sq = 0;
    for (float v : a) {
      sq += (double) v * v;
    }
    float norm = (float) Math.sqrt(sq);
    if (norm == 0f) {
      norm = 1f;
    }
    float[] out = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] / norm;
    }
    return out;
  }

  /** The head applied to an embedding that is already normalised (768 values). */
  public double forward(float[] normalized) {
    checkArgument(normalized.length == WIDTHS[0], "aesthetic head takes a %s-d CLIP ViT-L/14 embedding, got %s",
        WIDTHS[0], normalized.length);
    double[] x = new double[normalized.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = normalized[i];
    }
    for (int l = 0; l < 5; l++) {
      double[] y = new double[WIDTHS[l + 1]];
      for (int o = 0; o < y.length; o++) {
        float[] row = weights[l][o];
        double acc = biases[l][o];
        for (int i = 0; i < row.length; i++) {
          acc += row[i] * x[i];
        }
        y[o] = acc;
      }
      x = y;
    }
    return x[0];
  }

  /** {@link #forward} of {@link #normalize}{@code (embedding)}: the aesthetic score. */
  public double score(float[] embedding) {
    return forward(normalize(embedding));
  }
}
