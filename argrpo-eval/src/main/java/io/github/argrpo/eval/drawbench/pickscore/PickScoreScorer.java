package io.github.argrpo.eval.drawbench.pickscore;

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
import io.github.argrpo.rewards.clip.ClipTokenizer;

/**
 * PickScore ({@code yuvalkirstain/PickScore_v1}, a CLIP ViT-H/14 in Hugging Face {@code CLIPModel}
 * layout, which {@link ClipModel} loads directly) as AR-GRPO's {@code reward_utils/pickscore.py} uses it:
 * images rounded to 8 bits, the {@code laion/CLIP-ViT-H-14-laion2B-s32B-b79K} processor (224, bicubic,
 * centre crop, OpenAI mean/std), prompts tokenized to at most 77 tokens, then
 * {@code exp(logit_scale) * cos} per (prompt, image) pair. The per-image value is that raw score;
 * Table 4's column is the mean / 26.
 *
 * <pre>{@code
 * try (PickScoreScorer s = new PickScoreScorer(ClipModel.load(ClipConfig.vitH14(), Precision.FP32, file), tokenizer)) {
 *   double[] raw = s.score(images, prompts);
 * }
 * }</pre>
 *
 * <p>Owns the model: {@link #close()} closes it.
 */
public final class PickScoreScorer implements DrawbenchScorer {

  private final ClipModel clip;
  private final ClipTokenizer tokenizer;
  private final ClipPreprocess preprocess;

  /** Scores with {@code clip} (owned from now on) and {@code tokenizer} (the CLIP BPE, Hugging Face cleaning). */
  public PickScoreScorer(ClipModel clip, ClipTokenizer tokenizer) {
    this.clip = clip;
    this.tokenizer = tokenizer;
    this.preprocess = ClipPreprocess.openAi(clip.config().imageSize());
  }

  @Override
  public ScorerInfo info() {
    return new ScorerInfo("pickscore", "yuvalkirstain/PickScore_v1 (CLIP ViT-H/14, Hugging Face layout)",
        clip.precision().name().toLowerCase(Locale.ROOT), PixelConversion.ROUND,
        "exp(logit_scale) * cos(text, image), logit_scale from the checkpoint; Table 4 divides by 26",
        PickScoreHead.AR_GRPO_DIVISOR);
  }

  @Override
  public double[] score(ImageBatch images, List<String> prompts) {
    DrawbenchScorer.checkCounts(images, prompts, "pickscore");
    try (PointerScope s = new PointerScope(); ImageBatch rounded = PixelConversion.ROUND.quantize(images)) {
      float[][] img = TensorArrays.rows(clip.encodeImage(preprocess.apply(rounded)));
      Tensor ids = Tensor.create(tokenizer.tokenizeAll(prompts), prompts.size(), ClipTokenizer.CONTEXT_LENGTH);
      float[][] txt = TensorArrays.rows(clip.encodeText(ids));
      return PickScoreHead.pairs(Math.log(clip.logitScaleExp()), txt, img);
    }
  }

  @Override
  public void close() {
    clip.close();
  }
}
