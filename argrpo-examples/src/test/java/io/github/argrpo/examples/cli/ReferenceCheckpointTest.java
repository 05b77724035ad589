package io.github.argrpo.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.testing.Fixtures;
import io.github.argrpo.examples.export.NpzReader;
import io.github.argrpo.weights.SafetensorsFile;

/**
 * The program on checkpoints written by the Python reference (the shared parity fixtures): a
 * {@code torch.save} GPT ({@code {"model": state_dict}}, as LlamaGen ships them) and a VQ.
 */
class ReferenceCheckpointTest {

  @TempDir
  Path dir;

  private Path config() throws Exception {
    Path parity = Fixtures.parityDir();
    String yaml = "model:\n"
        + "  gpt: {preset: B, type: c2i, image_size: 16, dim: 64, n_layer: 2, n_head: 4, num_classes: 10, vocab_size: 32}\n"
        + "  weights: '" + parity.resolve("gpt-c2i-tiny/weights.pt") + "'\n"
        + "vq: {weights: '" + parity.resolve("vq-tiny/weights.safetensors") + "', channels: 32, channel_multipliers: [1, 1, 2],"
        + " z_channels: 32, num_res_blocks: 2, codebook_size: 64, codebook_embed_dim: 8}\n";
    Path f = dir.resolve("ref.yaml");
    Files.writeString(f, yaml, StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void convertsTheTorchSaveCheckpointToTheReferenceStateDict() throws Exception {
    Path parity = Fixtures.parityDir();
    Path out = dir.resolve("c2i_tiny.safetensors");
    Cli.Result r = Cli.run("convert", "--in", parity.resolve("gpt-c2i-tiny/weights.pt").toString(), "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    try (SafetensorsFile got = SafetensorsFile.open(out);
         SafetensorsFile want = SafetensorsFile.open(parity.resolve("gpt-c2i-tiny/weights.safetensors"));
         PointerScope s = new PointerScope()) {
      assertThat(got.keys()).containsExactlyInAnyOrderElementsOf(want.keys());
      for (String k : want.keys()) {
        assertThat(got.read(k).equal(want.read(k))).as(k).isTrue();
      }
    }
  }

  @Test
  void samplesAndExportsFromTheOfficialCheckpointFormat() throws Exception {
    Path config = config();
    Cli.Result s = Cli.run("sample", "-c", config.toString(), "--classes", "0,9", "-n", "2", "--out",
        dir.resolve("s").toString(), "--no-progress");
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(dir.resolve("s/0001_01.png")).exists();
    Path npz = dir.resolve("ref.npz");
    Cli.Result e = Cli.run("export", "adm-npz", "-c", config.toString(), "--classes", "0-2", "--per-class", "2",
        "--out", npz.toString(), "--no-progress");
    assertThat(e.code()).as(e.err()).isZero();
    assertThat(NpzReader.read(npz, "arr_0").shape()).containsExactly(6L, 16L, 16L, 3L);
    Cli.Result big = Cli.run("sample", "-c", config.toString(), "--set", "model.gpt.vocab_size=65", "--out",
        dir.resolve("x").toString());
    assertThat(big.code()).isEqualTo(2);
    assertThat(big.errorLines()).singleElement().asString().contains("model.gpt.vocab_size must be in [1, 64]");
  }
}
