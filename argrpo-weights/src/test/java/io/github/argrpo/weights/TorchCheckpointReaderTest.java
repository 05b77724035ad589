package io.github.argrpo.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.testing.Fixtures;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The three Python-written checkpoints of the tiny GPT fixture against its safetensors file. */
class TorchCheckpointReaderTest {

  static final Path TINY = Fixtures.parityDir().resolve("gpt-c2i-tiny");

  @BeforeAll
  static void init() {
    NativeRuntime.init();
  }

  /** Every tensor of {@code ckpt} equals the safetensors reference cast to the stored dtype. */
  static void assertSameAsSafetensors(TorchCheckpointReader ckpt) throws IOException {
    try (SafetensorsFile ref = SafetensorsFile.open(TINY.resolve("weights.safetensors"));
        PointerScope scope = new PointerScope()) {
      assertThat(ckpt.keys()).containsExactlyInAnyOrderElementsOf(ref.keys());
      for (String k : ref.keys()) {
        Tensor got = ckpt.read(k);
        Tensor want = ref.read(k);
        assertThat(got.shape()).as(k).containsExactly(want.shape());
        assertThat(got.is_contiguous()).isTrue();
        Tensor cast = want.to(got.scalar_type());
        assertThat(torch.equal(got, cast)).as(k).isTrue();
        assertThat(ckpt.info(k).shape()).containsExactly(want.shape());
      }
    }
  }

  @Test
  void readsModelWrappedCheckpoint() throws IOException {
    try (TorchCheckpointReader ckpt = TorchCheckpointReader.open(TINY.resolve("weights.pt"))) {
      assertThat(ckpt.stateDictEntry()).isEqualTo("model");
      assertThat(ckpt.topLevelKeys()).containsExactly("model");
      assertThat(ckpt.info("tok_embeddings.weight").dtype()).isEqualTo("F32");
      assertSameAsSafetensors(ckpt);
    }
  }

  @Test
  void readsRawStateDict() throws IOException {
    try (TorchCheckpointReader ckpt = TorchCheckpointReader.open(TINY.resolve("weights_raw.pt"))) {
      assertThat(ckpt.stateDictEntry()).isEmpty();
      assertThat(List.copyOf(ckpt.keys()).get(0)).isEqualTo("cls_embedding.embedding_table.weight");
      assertSameAsSafetensors(ckpt);
    }
  }

  @Test
  void readsModuleWrappedMixedPrecisionFsdpStyleCheckpoint() throws IOException {
    try (TorchCheckpointReader ckpt = TorchCheckpointReader.open(TINY.resolve("weights_mixed.pt"));
        PointerScope scope = new PointerScope()) {
      assertThat(ckpt.stateDictEntry()).isEqualTo("module");
      assertThat(ckpt.info("tok_embeddings.weight").dtype()).isEqualTo("BF16");
      assertThat(ckpt.info("output.weight").dtype()).isEqualTo("F16");
      assertThat(ckpt.info("layers.0.attention.wqkv.weight").dtype()).isEqualTo("F32");
      assertThat(ckpt.read("tok_embeddings.weight").scalar_type().value)
          .isEqualTo(ScalarType.BFloat16.value);
      assertThat(ckpt.read("output.weight").scalar_type().value).isEqualTo(ScalarType.Half.value);
      assertSameAsSafetensors(ckpt);
    }
  }

  @Test
  void explicitEntryMustExist() {
    assertThatThrownBy(() -> TorchCheckpointReader.open(TINY.resolve("weights.pt"), "ema"))
        .isInstanceOf(WeightFormatException.class).hasMessageContaining("'ema'")
        .hasMessageContaining("[model]");
  }

  @Test
  void safetensorsFileIsNotACheckpoint() {
    assertThatThrownBy(() -> TorchCheckpointReader.open(TINY.resolve("weights.safetensors")))
        .isInstanceOf(WeightFormatException.class).hasMessageContaining("zip header");
  }
}
