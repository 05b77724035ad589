package io.github.argrpo.eval.drawbench.imagereward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.argrpo.core.image.ImageBatch;

/**
 * ImageReward's Java side on {@code tiny_imagereward.pt} (made by {@code make_tiny_imagereward.py} with
 * torch 1.13), whose raw output is {@code 0.01 * sum(ids * mask) + mean(pixels)}: so the expected score
 * is worked out here by hand from the token ids, the 8-bit level and the CLIP mean/std.
 */
class ImageRewardScorerTest {

  private static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  private static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

  @Test
  void scoresWithRoundingTokensAndNormalisation() throws Exception {
    Path pt = Path.of(getClass().getResource("tiny_imagereward.pt").toURI());
    // vocab ids: [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 red=4 cube=5
    WordPieceTokenizer tok = WordPieceTokenizer.fromTokens(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "red", "cube"));
    float[] px = new float[2 * 3 * 16 * 16];
    Arrays.fill(px, 0, px.length / 2, 0.5f);   // image 0: 0.5 everywhere -> rounded to 128 (truncation would give 127)
    Arrays.fill(px, px.length / 2, px.length, 1f); // image 1: white -> 255
    try (ImageRewardScorer s = ImageRewardScorer.load(pt, tok); ImageBatch images = ImageBatch.fromArray(px, 2, 16, 16)) {
      double[] got = s.score(images, List.of("Red cube", "red red blue"));
      // token sums: [CLS] red cube [SEP] = 2+4+5+3 = 14; [CLS] red red [UNK] [SEP] = 2+4+4+1+3 = 14
      double raw0 = 0.14 + channelMean(128);
      double raw1 = 0.14 + channelMean(255);
      assertEquals((raw0 - 0.16717362830052426) / 1.0333394966054072, got[0], 1e-5);
      assertEquals((raw1 - 0.16717362830052426) / 1.0333394966054072, got[1], 1e-5);
      assertEquals(2, got.length);
    }
  }

  @Test
  void rejectsAStateDict() throws Exception {
    Path notZip = Path.of(getClass().getResource("test_vocab.txt").toURI());
    WordPieceTokenizer tok = WordPieceTokenizer.fromTokens(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageRewardScorer.load(notZip, tok));
    assertEquals(true, e.getMessage().contains("docs/evaluation.md"), e.getMessage());
  }

  /** Mean over channels of the normalised value of a uniform 8-bit level (a constant image stays constant). */
  private static double channelMean(int level) {
    double sum = 0;
    for (int c = 0; c < 3; c++) {
      sum += (level / 255f - MEAN[c]) / STD[c];
    }
    return sum / 3;
  }
}
