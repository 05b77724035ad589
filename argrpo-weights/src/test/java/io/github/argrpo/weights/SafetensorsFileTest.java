package io.github.argrpo.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.testing.Fixtures;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the parity fixtures and checks every byte against an independent heap-side parse. */
class SafetensorsFileTest {

  static final Path TINY = Fixtures.parityDir().resolve("gpt-c2i-tiny");

  @TempDir Path tmp;

  @BeforeAll
  static void init() {
    NativeRuntime.init();
  }

  /** The bytes of tensor {@code name}, parsed with plain Java from the whole file. */
  static byte[] rawBytes(Path file, String name) throws IOException {
    byte[] all = Files.readAllBytes(file);
    long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    JsonNode h = new ObjectMapper().readTree(new String(all, 8, (int) n, StandardCharsets.UTF_8));
    JsonNode off = h.get(name).get("data_offsets");
    int b = (int) (8 + n + off.get(0).asLong());
    int e = (int) (8 + n + off.get(1).asLong());
    byte[] out = new byte[e - b];
    System.arraycopy(all, b, out, 0, out.length);
    return out;
  }

  static byte[] tensorBytes(Tensor t) {
    byte[] out = new byte[(int) t.nbytes()];
    new BytePointer(t.contiguous().data_ptr()).capacity(out.length).get(out);
    return out;
  }

  @Test
  void readsGptWeightsInFileOrderWithExactBytes() throws IOException {
    Path p = TINY.resolve("weights.safetensors");
    try (SafetensorsFile f = SafetensorsFile.open(p); PointerScope scope = new PointerScope()) {
      List<String> keys = List.copyOf(f.keys());
      assertThat(keys).hasSize(18);
      assertThat(keys.get(0)).isEqualTo("cls_embedding.embedding_table.weight");
      assertThat(keys.get(keys.size() - 1)).isEqualTo("tok_embeddings.weight");
      assertThat(f.metadata()).isEmpty();
      TensorInfo wqkv = f.info("layers.0.attention.wqkv.weight");
      assertThat(wqkv.dtype()).isEqualTo("F32");
      assertThat(wqkv.shape()).containsExactly(192, 64);
      for (String k : keys) {
        Tensor t = f.read(k);
        assertThat(t.scalar_type().intern()).isEqualTo(ScalarType.Float);
        assertThat(t.shape()).containsExactly(f.info(k).shape());
        assertThat(t.is_contiguous()).isTrue();
        assertThat(tensorBytes(t)).as(k).isEqualTo(rawBytes(p, k));
      }
      // the values are real weights, not zeros
      assertThat(f.read("norm.weight").abs().sum().item_float()).isGreaterThan(0f);
    }
  }

  @Test
  void readsIntegerAndScalarTensorsOfIoFile() throws IOException {
    Path p = TINY.resolve("io.safetensors");
    try (SafetensorsFile f = SafetensorsFile.open(p); PointerScope scope = new PointerScope()) {
      assertThat(f.keys()).contains("gen.tokens", "tf.logits", "train.loss");
      Tensor tokens = f.read("gen.tokens");
      assertThat(tokens.scalar_type().intern()).isEqualTo(ScalarType.Long);
      assertThat(f.info("gen.tokens").dtype()).isEqualTo("I64");
      assertThat(tokens.shape()).containsExactly(3, 16);
      long[] ids = new long[48];
      tokens.data_ptr_long().get(ids);
      ByteBuffer raw = ByteBuffer.wrap(rawBytes(p, "gen.tokens")).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < ids.length; i++) {
        assertThat(ids[i]).isEqualTo(raw.getLong());
        assertThat(ids[i]).isBetween(0L, 31L);
      }
      for (String k : f.keys()) {
        assertThat(tensorBytes(f.read(k))).as(k).isEqualTo(rawBytes(p, k));
      }
    }
  }

  @Test
  void tensorsOutliveTheFileAndReadsAfterCloseFail() throws IOException {
    Path p = TINY.resolve("weights.safetensors");
    SafetensorsFile f = SafetensorsFile.open(p);
    try (PointerScope scope = new PointerScope()) {
      Tensor t = f.read("norm.weight");
      f.close();
      f.close();
      assertThat(tensorBytes(t)).isEqualTo(rawBytes(p, "norm.weight"));
      assertThatThrownBy(() -> f.read("norm.weight")).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
  }

  @Test
  void concurrentReadsAgree() throws Exception {
    Path p = TINY.resolve("weights.safetensors");
    Map<String, byte[]> expected = new HashMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      for (String k : f.keys()) {
        expected.put(k, rawBytes(p, k));
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          results.add(pool.submit(() -> {
            int n = 0;
            for (int round = 0; round < 10; round++) {
              for (String k : f.keys()) {
                try (PointerScope scope = new PointerScope()) {
                  assertThat(tensorBytes(f.read(k))).isEqualTo(expected.get(k));
                  n++;
                }
              }
            }
            return n;
          }));
        }
        for (Future<Integer> r : results) {
          assertThat(r.get()).isEqualTo(10 * expected.size());
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void unknownKeyNamesTheKeyAndFile() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(TINY.resolve("weights.safetensors"))) {
      assertThatThrownBy(() -> f.info("nope.weight")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("nope.weight").hasMessageContaining("weights.safetensors");
    }
  }

  @Test
  void badFilesGiveWeightFormatException() throws IOException {
    Path empty = Files.write(tmp.resolve("empty.safetensors"), new byte[0]);
    assertThatThrownBy(() -> SafetensorsFile.open(empty)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("empty.safetensors");
    Path png = Files.write(tmp.resolve("x.png"),
        new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
    assertThatThrownBy(() -> SafetensorsFile.open(png)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("header length");
    byte[] good = Files.readAllBytes(TINY.resolve("weights.safetensors"));
    Path truncated = Files.write(tmp.resolve("t.safetensors"),
        Arrays.copyOf(good, good.length - 100));
    assertThatThrownBy(() -> SafetensorsFile.open(truncated)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("tok_embeddings.weight").hasMessageContaining("truncated");
  }
}
