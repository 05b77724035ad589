package io.github.argrpo.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.weights.SafetensorsFile;
import io.github.argrpo.weights.SafetensorsWriter;

class ConvertCommandTest {

  @TempDir
  Path dir;

  @Test
  void convertsToBf16KeepingIntegersAndKeys() throws Exception {
    NativeRuntime.init();
    Path in = dir.resolve("in.safetensors");
    try (PointerScope s = new PointerScope()) {
      Map<String, Tensor> t = new LinkedHashMap<>();
      t.put("tok_embeddings.weight", Tensor.create(new float[] {1.5f, -2.25f, 3.0078125f, 1e-3f}, 2, 2));
      t.put("quantize.codebook_used", Tensor.create(new long[] {7, 8, 9}, 3));
      SafetensorsWriter.write(in, t);
    }
    Path out = dir.resolve("out.safetensors");
    Cli.Result r = Cli.run("convert", "--in", in.toString(), "--out", out.toString(), "--dtype", "bf16");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("wrote 2 tensors").contains("check passed");
    try (SafetensorsFile f = SafetensorsFile.open(out); PointerScope s = new PointerScope()) {
      assertThat(f.keys()).containsExactlyInAnyOrder("tok_embeddings.weight", "quantize.codebook_used");
      assertThat(f.info("tok_embeddings.weight").dtype()).isEqualTo("BF16");
      assertThat(f.info("quantize.codebook_used").dtype()).isEqualTo("I64");
      Tensor w = f.read("tok_embeddings.weight").to(ScalarType.Float);
      // 1.5 and -2.25 are exact in bf16; 3.0078125 rounds to 3.0 (8 significant bits)
      assertThat(w.get(0).get(0).item_float()).isEqualTo(1.5f);
      assertThat(w.get(0).get(1).item_float()).isEqualTo(-2.25f);
      assertThat(w.get(1).get(0).item_float()).isEqualTo(3.0f);
    }
  }

  @Test
  void prefixSelectsAndStripsTheGptOfAnArGrpoCheckpoint() throws Exception {
    NativeRuntime.init();
    Path in = dir.resolve("model.safetensors");
    try (PointerScope s = new PointerScope()) {
      Map<String, Tensor> t = new LinkedHashMap<>();
      t.put("gpt_model.norm.weight", Tensor.create(new float[] {1, 2}, 2));
      t.put("ref_model.gpt_model.norm.weight", Tensor.create(new float[] {3, 4}, 2));
      t.put("vq_model.quant_conv.bias", Tensor.create(new float[] {5}, 1));
      SafetensorsWriter.write(in, t);
    }
    Path out = dir.resolve("gpt.safetensors");
    Cli.Result r = Cli.run("convert", "--in", in.toString(), "--out", out.toString(), "--prefix", "gpt_model.");
    assertThat(r.code()).as(r.err()).isZero();
    try (SafetensorsFile f = SafetensorsFile.open(out); PointerScope s = new PointerScope()) {
      assertThat(f.keys()).containsExactly("norm.weight");
      assertThat(f.read("norm.weight").get(1).item_float()).isEqualTo(2f);
    }
    Cli.Result none = Cli.run("convert", "--in", in.toString(), "--out", out.toString(), "--prefix", "model.");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.errorLines()).singleElement().asString().contains("no key").contains("'model.'");
  }

  @Test
  void missingInputIsOneLine() {
    Cli.Result r = Cli.run("convert", "--in", dir.resolve("c2i_B_256.pt").toString(), "--out", dir.resolve("o").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errorLines()).singleElement().asString().contains("--in").contains("c2i_B_256.pt").contains("does not exist");
  }
}
