package io.github.argrpo.rewards.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.assertj.core.data.Offset;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;
import io.github.argrpo.core.reward.Rewards;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.core.testing.Fixtures;
import io.github.argrpo.rewards.text.ClassNames;

/** {@link ClipScoreReward} on a small random CLIP with the real vocabulary. */
class ClipScoreRewardTest {

  private static ClipModel model;
  private static ClipTokenizer tokenizer;
  private static ClassNames names;

  @BeforeAll
  static void init() {
    ClipConfig cfg = ClipConfig.builder().embedDim(16).imageSize(32).patchSize(8).visionWidth(32).visionLayers(1)
        .visionHeads(1).textWidth(32).textLayers(1).textHeads(2).build();
    model = ClipModel.create(cfg, Precision.FP32);
    tokenizer = ClipTokenizer.fromBpeVocab(ClipTokenizerTest.vocabFile());
    names = ClassNames.read(Fixtures.data("imagenet_class_names.txt"));
  }

  @AfterAll
  static void close() {
    model.close();
  }

  static ImageBatch randomImages(int n, int h, int w, long seed) {
    Random r = new Random(seed);
    float[] px = new float[n * 3 * h * w];
    for (int i = 0; i < px.length; i++) {
      px[i] = r.nextFloat();
    }
    return ImageBatch.fromArray(px, n, h, w);
  }

  @Test
  void scoresAreTheCosineWithThePhotoOfTextOrThePrompt() {
    List<Condition> conds = List.of(Condition.ofClass(0), Condition.ofText("a red bicycle"), Condition.ofClass(2));
    // three copies of a Hugging Face CLIPImageProcessor golden's input (32 pixels)
    try (ClipScoreReward r = new ClipScoreReward("clip", model, tokenizer, names); PointerScope scope = new PointerScope();
        ImageBatch images = ImageBatch.wrap(torch.cat(new TensorVector(golden("in"), golden("in"), golden("in")), 0))) {
      assertThat(r.similarity().textFor(conds.get(0))).isEqualTo("a photo of tench, Tinca tinca");
      RewardResult res = r.score(images, conds);
      List<String> texts = List.of("a photo of tench, Tinca tinca", "a red bicycle",
          "a photo of great white shark, white shark, man-eater, man-eating shark, Carcharodon carcharias");
      Tensor ids = Tensor.create(tokenizer.tokenizeAll(texts), 3, 77);
      Tensor pixels = golden("out");
      float[] want = ClipModelTest.floats(ClipScores.rowCosine(
          model.encodeImage(torch.cat(new TensorVector(pixels, pixels, pixels), 0)), model.encodeText(ids)));
      assertThat(res.size()).isEqualTo(3);
      for (int i = 0; i < 3; i++) {
        assertThat(res.score(i)).isCloseTo(want[i], Offset.offset(1e-5));
        assertThat(Math.abs(res.score(i))).isLessThanOrEqualTo(1.0 + 1e-6);
      }
      assertThat(res.components()).containsOnlyKeys("clip");
      // The caller composes AR-GRPO's 5 * cos.
      RewardResult scaled = Rewards.scaled(r, 5, "clip5").score(images, conds);
      assertThat(scaled.score(1)).isCloseTo(5 * res.score(1), Offset.offset(1e-9));
    }
  }

  private static Tensor golden(String part) {
    return PreprocessGoldens.tensor("clip/odd_excess_40x44_to_32/" + part);
  }

  @Test
  void chunkingAndTheTextCacheDoNotChangeScores() {
    List<String> texts = List.of("a cat", "a dog", "a cat", "a cat", "a dog");
    try (ImageBatch images = randomImages(5, 32, 32, 2)) {
      ClipSimilarity one = new ClipSimilarity(model, tokenizer, ClipPreprocess.openAi(32), null, 1);
      ClipSimilarity many = new ClipSimilarity(model, tokenizer, ClipPreprocess.openAi(32), null, 16);
      double[] a = one.cosinesWithTexts(images, texts);
      double[] b = many.cosinesWithTexts(images, texts);
      double[] c = many.cosinesWithTexts(images, texts);
      for (int i = 0; i < 5; i++) {
        assertThat(a[i]).isCloseTo(b[i], Offset.offset(1e-5));
      }
      assertThat(c).containsExactly(b);
    }
  }

  @Test
  void errorsSayWhatWasExpected() {
    try (ClipScoreReward withNames = new ClipScoreReward("clip", model, tokenizer, names);
        ClipScoreReward noNames = new ClipScoreReward("clip_t2i", model, tokenizer, null);
        ImageBatch images = randomImages(2, 32, 32, 3)) {
      assertThatThrownBy(() -> withNames.score(images, List.of(Condition.ofClass(0))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 images but 1 conditions");
      assertThatThrownBy(() -> withNames.score(images, List.of(Condition.ofClass(0), Condition.ofClass(1000))))
          .hasMessageContaining("class label 1000 is outside the 1000 class names [0, 999]");
      assertThatThrownBy(() -> noNames.score(images, List.of(Condition.ofClass(0), Condition.ofClass(1))))
          .hasMessageContaining("needs class names");
      assertThatThrownBy(() -> noNames.similarity().cosinesWithTexts(images, List.of("a cat", " ")))
          .hasMessageContaining("text 1 is empty");
      assertThatThrownBy(() -> Condition.ofText("")).hasMessageContaining("non-empty prompt");
      assertThatThrownBy(() -> new ClipScoreReward("bad name", model, tokenizer, null))
          .hasMessageContaining("got 'bad name'");
      assertThatThrownBy(() -> new ClipSimilarity(model, tokenizer, ClipPreprocess.openAi(224), null, 4))
          .hasMessageContaining("preprocessing produces 224 px images but the model expects 32");
    }
  }

  @Test
  void classNamesFileRules(@TempDir Path dir) throws IOException {
    Path ok = dir.resolve("ok.txt");
    Files.writeString(ok, "cat\ndog, puppy\n");
    ClassNames n = ClassNames.read(ok);
    assertThat(n.size()).isEqualTo(2);
    assertThat(n.prompt(1)).isEqualTo("a photo of dog, puppy");
    Path blank = dir.resolve("blank.txt");
    Files.writeString(blank, "cat\n\ndog\n");
    assertThatThrownBy(() -> ClassNames.read(blank)).hasMessageContaining("class name 1 (line 2) is blank");
    Path empty = dir.resolve("empty.txt");
    Files.writeString(empty, "");
    assertThatThrownBy(() -> ClassNames.read(empty)).hasMessageContaining("is empty");
    assertThat(names.size()).isEqualTo(1000);
  }

  @Test
  void memoryStaysBoundedOverManyCalls() {
    List<Condition> conds = List.of(Condition.ofText("a photo of a cat"), Condition.ofText("a photo of a cat"));
    try (ClipScoreReward r = new ClipScoreReward("clip", model, tokenizer, null);
        ImageBatch images = randomImages(2, 40, 40, 4)) {
      RewardFunction f = r;
      double first = f.score(images, conds).score(0);
      for (int i = 0; i < 5; i++) {
        f.score(images, conds);
      }
      long before = Pointer.physicalBytes();
      for (int i = 0; i < 60; i++) {
        assertThat(f.score(images, conds).score(0)).isEqualTo(first);
      }
      long grown = Pointer.physicalBytes() - before;
      assertThat(grown).as("RSS growth over 60 reward calls").isLessThan(64L << 20);
    }
  }
}
