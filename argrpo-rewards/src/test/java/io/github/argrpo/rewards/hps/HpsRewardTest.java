package io.github.argrpo.rewards.hps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.data.Offset;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardResult;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.core.testing.Fixtures;
import io.github.argrpo.rewards.clip.ClipActivation;
import io.github.argrpo.rewards.clip.ClipConfig;
import io.github.argrpo.rewards.clip.ClipModel;
import io.github.argrpo.rewards.clip.ClipScores;
import io.github.argrpo.rewards.clip.ClipTokenizer;
import io.github.argrpo.rewards.clip.PreprocessGoldens;
import io.github.argrpo.rewards.text.ClassNames;
import io.github.argrpo.weights.SafetensorsWriter;

/** {@link HpsReward}: loading an open_clip state dict (under a {@code state_dict.} wrapper) and the open_clip scoring path. */
class HpsRewardTest {

  private static final Path VOCAB = Fixtures.clipTokenizerCases().resolveSibling("bpe_simple_vocab_16e6.txt.gz");

  @Test
  void loadsOpenClipWeightsAndScoresWithTheFloatPreprocessing(@TempDir Path dir) throws IOException {
    ClipConfig cfg = ClipConfig.builder().embedDim(16).imageSize(28).patchSize(7).visionWidth(32).visionLayers(1)
        .visionHeads(2).textWidth(32).textLayers(1).textHeads(2).activation(ClipActivation.GELU).build();
    Path file = dir.resolve("hps.safetensors");
    ClassNames names = ClassNames.read(Fixtures.data("imagenet_class_names.txt"));
    ClipTokenizer tok = ClipTokenizer.fromBpeVocab(VOCAB);
    try (ClipModel ref = ClipModel.create(cfg, Precision.FP32)) {
      try (PointerScope scope = new PointerScope()) {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        StringTensorDict d = ref.named_parameters(true);
        for (long i = 0; i < d.size(); i++) {
          String k = d.get(i).key().getString();
          // as a checkpoint whose tensors sit under a "state_dict." wrapper
          sd.put("state_dict." + (k.startsWith("text.") ? k.substring(5) : k), new Tensor(d.get(i).value()));
        }
        SafetensorsWriter.write(file, sd);
      }
      List<Condition> conds = List.of(Condition.ofClass(3), Condition.ofText("A cat &amp; a dog"));
      // the input of a torchvision golden (open_clip's val transform at 28 pixels), twice
      try (HpsReward hps = HpsReward.load(cfg, file, VOCAB, names, Precision.FP32); PointerScope scope = new PointerScope();
          ImageBatch images = ImageBatch.wrap(torch.cat(new TensorVector(
              PreprocessGoldens.tensor("hps/up_20x24_to_28/in"), PreprocessGoldens.tensor("hps/up_20x24_to_28/in")), 0))) {
        assertThat(hps.name()).isEqualTo("hpsv2");
        RewardResult res = hps.score(images, conds);
        // open_clip's tokenizer unescapes HTML: the text is "a cat & a dog".
        Tensor ids = Tensor.create(tok.tokenizeAll(List.of("a photo of tiger shark, Galeocerdo cuvieri", "A cat & a dog")),
            2, 77);
        Tensor pixels = PreprocessGoldens.tensor("hps/up_20x24_to_28/out");
        Tensor want = ClipScores.rowCosine(ref.encodeImage(torch.cat(new TensorVector(pixels, pixels), 0)),
            ref.encodeText(ids));
        float[] w = new float[2];
        new FloatPointer(want.contiguous().data_ptr_float()).get(w);
        for (int i = 0; i < 2; i++) {
          assertThat(res.score(i)).isCloseTo(w[i], Offset.offset(1e-5));
        }
      }
    }
  }

  @Test
  void missingCheckpointIsAClearError(@TempDir Path dir) {
    assertThatThrownBy(() -> HpsReward.load(dir.resolve("nope.pt"), VOCAB, null, Precision.BF16))
        .hasMessageContaining("nope.pt");
  }
}
