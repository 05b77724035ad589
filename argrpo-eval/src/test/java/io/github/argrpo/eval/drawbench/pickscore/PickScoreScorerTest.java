package io.github.argrpo.eval.drawbench.pickscore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.core.testing.Fixtures;
import io.github.argrpo.eval.drawbench.TensorArrays;
import io.github.argrpo.rewards.clip.ClipActivation;
import io.github.argrpo.rewards.clip.ClipConfig;
import io.github.argrpo.rewards.clip.ClipModel;
import io.github.argrpo.rewards.clip.ClipPreprocess;
import io.github.argrpo.rewards.clip.ClipTokenizer;

/**
 * PickScore's glue on a tiny random CLIP: the score of pair i equals entry (i, i) of the model's own
 * {@code logitsPerImage} (a separate code path of argrpo-rewards: exp(logit_scale) x cosine) on the
 * images rounded to 8 bits by hand (0.5 -> 128; the other values, k / 7, have no .5 ties).
 */
class PickScoreScorerTest {

  @Test
  void pairsRoundedImagesWithTheirPrompts() {
    Path bpe = Fixtures.sharedDir().resolve("fixtures/clip-tokenizer/bpe_simple_vocab_16e6.txt.gz");
    assumeTrue(Files.isRegularFile(bpe), "no CLIP vocabulary");
    ClipTokenizer tok = ClipTokenizer.fromBpeVocab(bpe);
    ClipConfig cfg = ClipConfig.builder().embedDim(16).imageSize(32).patchSize(16).visionWidth(16).visionLayers(1)
        .visionHeads(2).textWidth(16).textLayers(1).textHeads(2).activation(ClipActivation.GELU).build();
    List<String> prompts = List.of("a red cube", "two dogs");
    float[] px = new float[2 * 3 * 8 * 8];
    float[] byHand = new float[px.length];
    for (int i = 0; i < px.length; i++) {
      px[i] = i < px.length / 2 ? 0.5f : (i % 8) / 7f;
      byHand[i] = i < px.length / 2 ? 128 / 255f : Math.round(px[i] * 255f) / 255f;
    }
    ClipModel clip = ClipModel.create(cfg, Precision.FP32);
    try (PickScoreScorer s = new PickScoreScorer(clip, tok); ImageBatch images = ImageBatch.fromArray(px, 2, 8, 8);
        ImageBatch rounded = ImageBatch.fromArray(byHand, 2, 8, 8); PointerScope scope = new PointerScope()) {
      double[] got = s.score(images, prompts);
      Tensor ids = Tensor.create(tok.tokenizeAll(prompts), 2, 77);
      float[] logits = TensorArrays.floats(clip.logitsPerImage(ClipPreprocess.openAi(32).apply(rounded), ids));
      assertEquals(logits[0], got[0], 2e-5);
      assertEquals(logits[3], got[1], 2e-5);
    }
  }
}
