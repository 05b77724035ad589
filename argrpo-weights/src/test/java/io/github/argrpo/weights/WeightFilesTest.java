package io.github.argrpo.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.argrpo.core.testing.Fixtures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader is chosen by content, not by file name. */
class WeightFilesTest {

  static final Path TINY = Fixtures.parityDir().resolve("gpt-c2i-tiny");

  @TempDir Path tmp;

  @Test
  void picksTheReaderByContent() throws IOException {
    // misleading extensions on purpose
    Path st = Files.copy(TINY.resolve("weights.safetensors"), tmp.resolve("weights.pt"));
    Path pt = Files.copy(TINY.resolve("weights.pt"), tmp.resolve("weights.safetensors"));
    try (WeightSource a = WeightFiles.open(st); WeightSource b = WeightFiles.open(pt)) {
      assertThat(a).isInstanceOf(SafetensorsFile.class);
      assertThat(b).isInstanceOf(TorchCheckpointReader.class);
      assertThat(a.keys()).containsExactlyInAnyOrderElementsOf(b.keys());
      assertThat(a.info("output.weight")).isEqualTo(b.info("output.weight"));
    }
    assertThat(WeightFiles.detect(TINY.resolve("weights_raw.pt"))).isEqualTo(WeightFiles.Format.TORCH_ZIP);
    assertThat(WeightFiles.detect(TINY.resolve("io.safetensors"))).isEqualTo(WeightFiles.Format.SAFETENSORS);
  }

  @Test
  void explainsWhatElseItIs() throws IOException {
    Path empty = Files.write(tmp.resolve("empty.bin"), new byte[0]);
    assertThatThrownBy(() -> WeightFiles.open(empty)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("empty.bin").hasMessageContaining("empty");
    Path png = Files.write(tmp.resolve("img.png"),
        new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13});
    assertThatThrownBy(() -> WeightFiles.open(png)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("unknown weight file format").hasMessageContaining("89504e47");
    Path legacy = Files.write(tmp.resolve("old.pt"), new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0});
    assertThatThrownBy(() -> WeightFiles.open(legacy)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("legacy");
    Path text = Files.writeString(tmp.resolve("notes.txt"), "hello world, not weights");
    assertThatThrownBy(() -> WeightFiles.open(text)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("notes.txt");
  }
}
