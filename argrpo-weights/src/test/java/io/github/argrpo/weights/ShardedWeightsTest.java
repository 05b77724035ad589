package io.github.argrpo.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.runtime.NativeRuntime;

/** Hugging Face shard indexes over safetensors shards. */
class ShardedWeightsTest {

  @TempDir Path tmp;

  @BeforeAll
  static void init() {
    NativeRuntime.init();
  }

  /** Two shards: a.weight, b.weight in shard 1; c.bias in shard 2 (plus extra.x, not indexed). */
  private Path writeShards() throws IOException {
    try (PointerScope s = new PointerScope()) {
      Map<String, Tensor> one = new LinkedHashMap<>();
      one.put("a.weight", torch.arange(new Scalar(6)).to(torch.ScalarType.Float).view(2, 3));
      one.put("b.weight", torch.ones(4).to(torch.ScalarType.BFloat16));
      Map<String, Tensor> two = new LinkedHashMap<>();
      two.put("c.bias", torch.full(new long[] {3}, new Scalar(7)));
      two.put("extra.x", torch.zeros(1));
      SafetensorsWriter.write(tmp.resolve("m-1.safetensors"), one);
      SafetensorsWriter.write(tmp.resolve("m-2.safetensors"), two);
    }
    return index("{\"c.bias\": \"m-2.safetensors\", \"a.weight\": \"m-1.safetensors\","
        + " \"b.weight\": \"m-1.safetensors\"}");
  }

  private Path index(String weightMap) throws IOException {
    Path p = tmp.resolve("model.safetensors.index.json");
    Files.writeString(p, "{\"metadata\": {\"total_size\": 44}, \"weight_map\": " + weightMap + "}");
    return p;
  }

  @Test
  void presentsAllShardsAsOneSource() throws IOException {
    Path index = writeShards();
    try (ShardedWeights w = ShardedWeights.open(index); PointerScope s = new PointerScope()) {
      assertThat(w.keys()).containsExactly("c.bias", "a.weight", "b.weight"); // index order
      assertThat(w.shardCount()).isEqualTo(2);
      assertThat(w.info("a.weight").shape()).containsExactly(2, 3);
      assertThat(w.info("b.weight").dtype()).isEqualTo("BF16");
      assertThat(w.read("a.weight").select(0, 1).select(0, 2).item_float()).isEqualTo(5f);
      assertThat(w.read("c.bias").sum().item_float()).isEqualTo(21f);
      assertThatThrownBy(() -> w.read("extra.x")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no tensor 'extra.x'");
      assertThat(w.toString()).contains("2 shards");
    }
  }

  @Test
  void worksWithStateDictLoader() throws IOException {
    Path index = writeShards();
    try (ShardedWeights w = ShardedWeights.open(index); PointerScope s = new PointerScope()) {
      Map<String, Tensor> target = new LinkedHashMap<>();
      target.put("a.weight", torch.zeros(2, 3));
      target.put("b.weight", torch.zeros(4));
      target.put("c.bias", torch.zeros(3));
      StateDictLoader.Report r = StateDictLoader.defaults().load(w, target);
      assertThat(r.loaded()).hasSize(3);
      assertThat(target.get("b.weight").sum().item_float()).isEqualTo(4f);
    }
  }

  @Test
  void missingShardIsNamed() throws IOException {
    writeShards();
    Path index = index("{\"a.weight\": \"m-1.safetensors\", \"z\": \"m-9.safetensors\"}");
    assertThatThrownBy(() -> ShardedWeights.open(index)).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("m-9.safetensors").hasMessageContaining("for 'z'")
        .hasMessageContaining(index.toString());
  }

  @Test
  void keyAbsentFromItsShardIsNamed() throws IOException {
    writeShards();
    Path index = index("{\"a.weight\": \"m-2.safetensors\"}");
    assertThatThrownBy(() -> ShardedWeights.open(index)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("maps 'a.weight' to shard 'm-2.safetensors', which has no such tensor");
  }

  @Test
  void malformedIndexesAreRejected() throws IOException {
    Path a = tmp.resolve("a.json");
    Files.writeString(a, "{\"metadata\": {}}");
    assertThatThrownBy(() -> ShardedWeights.open(a)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("needs a \"weight_map\" object");
    Files.writeString(a, "{\"weight_map\": {\"k\": 3}}");
    assertThatThrownBy(() -> ShardedWeights.open(a)).hasMessageContaining("weight_map[\"k\"] must be a shard file name");
    Files.writeString(a, "{\"weight_map\": ");
    assertThatThrownBy(() -> ShardedWeights.open(a)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("not a valid JSON shard index");
    Files.writeString(a, "{\"weight_map\": {}}");
    assertThatThrownBy(() -> ShardedWeights.open(a)).hasMessageContaining("the weight_map is empty");
  }

  @Test
  void readAfterCloseFails() throws IOException {
    ShardedWeights w = ShardedWeights.open(writeShards());
    w.close();
    w.close(); // idempotent
    assertThatThrownBy(() -> w.read("a.weight")).isInstanceOf(IllegalStateException.class);
  }
}
