package io.github.argrpo.rewards.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import org.assertj.core.data.Offset;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import io.github.argrpo.core.image.ImageBatch;

/** {@link ClipPreprocess}: torchvision sizes, truncation to 8 bits, normalization, and the two paths agreeing. */
class ClipPreprocessTest {

  @Test
  void torchvisionResizeAndCropArithmetic() {
    ClipPreprocess p = ClipPreprocess.openAi(224);
    assertThat(p.resizedSize(256, 256)).containsExactly(224, 224);
    assertThat(p.resizedSize(256, 384)).containsExactly(224, 336);
    assertThat(p.resizedSize(300, 200)).containsExactly(336, 224);
    assertThat(p.resizedSize(225, 227)).containsExactly(224, 225);   // int(224 * 227 / 225) = int(225.99)
    assertThat(p.cropOffset(336)).isEqualTo(56);
    assertThat(p.cropOffset(225)).isEqualTo(0);                      // transformers: (225 - 224) // 2 = 0
    assertThat(p.cropOffset(227)).isEqualTo(1);                      // transformers: 3 // 2 = 1
    ClipPreprocess tv = ClipPreprocess.openClip(224);
    assertThat(tv.cropOffset(225)).isEqualTo(0);                     // torchvision: round(0.5) = 0 (half to even)
    assertThat(tv.cropOffset(227)).isEqualTo(2);                     // torchvision: round(1.5) = 2
    assertThatThrownBy(() -> ClipPreprocess.openAi(0)).hasMessageContaining("got 0");
  }

  /**
   * The CLIP reward's path against the Hugging Face CLIPImageProcessor (AR-GRPO scores CLIP through
   * transformers), after AR-GRPO's truncating hand-off; goldens from make_reward_goldens.py.
   */
  @TestFactory
  Stream<DynamicTest> openAiPathMatchesTheHuggingFaceClipImageProcessor() {
    return goldens("clip", ClipPreprocess::openAi, 2e-6);
  }

  /** HPSv2's path against open_clip's val transform in torchvision (ToTensor, Resize bicubic AA, CenterCrop, Normalize). */
  @TestFactory
  Stream<DynamicTest> openClipPathMatchesTorchvision() {
    return goldens("hps", ClipPreprocess::openClip, 1e-5);
  }

  private static Stream<DynamicTest> goldens(String path, IntFunction<ClipPreprocess> make, double atol) {
    return PreprocessGoldens.cases(path).stream().map(name -> DynamicTest.dynamicTest(path + "/" + name, () -> {
      try (PointerScope scope = new PointerScope()) {
        Tensor want = PreprocessGoldens.tensor(path + "/" + name + "/out");
        int size = (int) want.size(3);
        try (ImageBatch images = ImageBatch.wrap(PreprocessGoldens.tensor(path + "/" + name + "/in"))) {
          Tensor got = make.apply(size).apply(images);
          assertThat(got.sizes().vec().get()).containsExactly(want.sizes().vec().get());
          float[] g = PreprocessGoldens.floats(got);
          float[] w = PreprocessGoldens.floats(want);
          double worst = 0;
          int at = -1;
          for (int i = 0; i < w.length; i++) {
            double d = Math.abs(g[i] - w[i]);
            if (d > worst) {
              worst = d;
              at = i;
            }
          }
          assertThat(worst).as("%s/%s: max |diff| at %s", path, name, at).isLessThanOrEqualTo(atol);
        }
      }
    }));
  }

  /**
   * HPSv2 on CUDA: the normalization constants must be made on the batch's device. No GPU here, so the
   * batch lives on the meta device, which fails the same way a CUDA batch does against CPU constants.
   */
  @Test
  void openClipPathKeepsTheBatchOnItsDevice() {
    try (PointerScope scope = new PointerScope()) {
      Tensor meta = torch.rand(2, 3, 40, 44).to(new Device("meta"), ScalarType.Float);
      try (ImageBatch images = ImageBatch.wrap(meta)) {
        Tensor out = ClipPreprocess.openClip(32).apply(images);
        assertThat(out.device().is_meta()).isTrue();
        assertThat(out.sizes().vec().get()).containsExactly(2, 3, 32, 32);
      }
    }
  }

  /** At the model size no resize happens: truncated 8-bit values, / 255, OpenAI mean/std. */
  @Test
  void atModelSizeOnlyTruncatesAndNormalizes() {
    int s = 8;
    float[] px = new float[3 * s * s];
    for (int i = 0; i < px.length; i++) {
      px[i] = (i * 37 % 100) / 99f;
    }
    for (ClipPreprocess p : new ClipPreprocess[] {ClipPreprocess.openAi(s), ClipPreprocess.openClip(s)}) {
      try (ImageBatch images = ImageBatch.fromArray(px, 1, s, s); PointerScope scope = new PointerScope()) {
        float[] got = floats(p.apply(images));
        for (int i = 0; i < px.length; i++) {
          int c = i / (s * s);
          float want = ((int) (px[i] * 255f) / 255f - ClipPreprocess.MEAN[c]) / ClipPreprocess.STD[c];
          assertThat(got[i]).as("value %d", i).isCloseTo(want, Offset.offset(1e-6f));
        }
      }
    }
    // 0.999 * 255 = 254.7 truncates to 254, not 255.
    float[] almostWhite = new float[3 * s * s];
    Arrays.fill(almostWhite, 0.999f);
    try (ImageBatch images = ImageBatch.fromArray(almostWhite, 1, s, s); PointerScope scope = new PointerScope()) {
      float v = floats(ClipPreprocess.openAi(s).apply(images))[0];
      assertThat(v).isEqualTo((254 / 255f - ClipPreprocess.MEAN[0]) / ClipPreprocess.STD[0]);
    }
  }

  /** PIL path (8-bit rounding) and open_clip path (float) differ by at most about one 8-bit level. */
  @Test
  void pilAndTensorPathsAgreeWithinOneLevel() {
    int n = 2;
    int h = 64;
    int w = 48;
    Random rnd = new Random(3);
    float[] px = new float[n * 3 * h * w];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) Math.max(0, Math.min(1, 0.5 + 0.3 * Math.sin(i * 0.05) + 0.1 * rnd.nextGaussian()));
    }
    try (ImageBatch images = ImageBatch.fromArray(px, n, h, w); PointerScope scope = new PointerScope()) {
      Tensor a = ClipPreprocess.openAi(32).apply(images);
      Tensor b = ClipPreprocess.openClip(32).apply(images);
      assertThat(a.sizes().vec().get()).containsExactly(2, 3, 32, 32);
      assertThat(b.sizes().vec().get()).containsExactly(2, 3, 32, 32);
      float[] fa = floats(a);
      float[] fb = floats(b);
      double worst = 0;
      for (int i = 0; i < fa.length; i++) {
        worst = Math.max(worst, Math.abs(fa[i] - fb[i]));
      }
      // one 8-bit level is 1 / 255 / std ~ 0.0146; allow the rounding of both passes
      assertThat(worst).isLessThan(1.05 / 255 / 0.26130258);
      assertThat(worst).isGreaterThan(0.0);
    }
  }

  private static float[] floats(Tensor t) {
    Tensor c = t.contiguous();
    float[] out = new float[(int) c.numel()];
    new FloatPointer(c.data_ptr_float()).get(out);
    return out;
  }
}
