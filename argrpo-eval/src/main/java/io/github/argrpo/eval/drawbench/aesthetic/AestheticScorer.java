package io.github.argrpo.eval.drawbench.aesthetic;

import java.util.List;
import java.util.Locale;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.eval.drawbench.DrawbenchScorer;
import io.github.argrpo.eval.drawbench.PixelConversion;
import io.github.argrpo.eval.drawbench.ScorerInfo;
import io.github.argrpo.eval.drawbench.TensorArrays;
import io.github.argrpo.rewards.clip.ClipModel;
import io.github.argrpo.rewards.clip.ClipPreprocess;

/**
 * The LAION aesthetic score as AR-GRPO's {@code reward_utils/aesthscore.py} computes it: images rounded
 * to 8 bits, the {@code openai/clip-vit-large-patch14} processor (224, bicubic, centre crop, OpenAI
 * mean/std), {@code get_image_features}, L2 normalisation, then {@link AestheticMlp}. Prompts are not used.
 *
 * <pre>{@code
 * try (AestheticScorer s = new AestheticScorer(ClipModel.load(ClipConfig.vitL14(), Precision.FP32, l14), AestheticMlp.load(pth))) {
 *   double[] v = s.score(images, prompts);
 * }
 * }</pre>
 *
 * <p>Owns the CLIP model: {@link #close()} closes it.
 */
public final class AestheticScorer implements DrawbenchScorer {

  private final ClipModel clip;
  private final AestheticMlp mlp;
  private final ClipPreprocess preprocess;

  /** Scores with {@code clip} (a ViT-L/14, owned from now on) and {@code mlp}. */
  public AestheticScorer(ClipModel clip, AestheticMlp mlp) {
    this.clip = clip;
    this.mlp = mlp;
    this.preprocess = ClipPreprocess.openAi(clip.config().imageSize());
  }

  @Override
  public ScorerInfo info() {
    return new ScorerInfo("aesthetic", "LAION aesthetic predictor v2 (sac+logos+ava1-l14-linearMSE) on CLIP ViT-L/14",
        clip.precision().name().toLowerCase(Locale.ROOT), PixelConversion.ROUND,
        "MLP(image_features / |image_features|), zero norm replaced by 1", 1.0);
  }

  @Override
  public double[] score(ImageBatch images, List<String> prompts) {
    DrawbenchScorer.checkCounts(images, prompts, "aesthetic");
    try (PointerScope s = new PointerScope(); ImageBatch rounded = PixelConversion.ROUND.quantize(images)) {
      Tensor emb = clip.encodeImage(preprocess.apply(rounded));
      float[][] rows = TensorArrays.rows(emb);
      double[] out = new double[rows.length];
      for (int i = 0; i < rows.length; i++) {
        out[i] = mlp.score(rows[i]);
      }
      return out;
    }
  }

  @Override
  public void close() {
    clip.close();
  }
}
