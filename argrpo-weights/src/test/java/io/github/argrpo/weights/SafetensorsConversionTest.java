package io.github.argrpo.weights;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.runtime.NativeRuntime;

/**
 * Streamed conversion writes the same bytes as writing the whole cast state dict at once (what
 * {@code argrpo convert} did before, rebuilt here from {@link SafetensorsWriter#write}), while holding
 * one source tensor at a time.
 */
class SafetensorsConversionTest {

  @TempDir Path tmp;

  @BeforeAll
  static void init() {
    NativeRuntime.init();
  }

  private Path source() throws IOException {
    Path in = tmp.resolve("in.safetensors");
    try (PointerScope s = new PointerScope()) {
      torch.manual_seed(3);
      Map<String, Tensor> t = new LinkedHashMap<>();
      t.put("gpt_model.tok_embeddings.weight", torch.randn(5, 3));
      t.put("gpt_model.layers.0.attention.wqkv.weight", torch.randn(9, 3).to(ScalarType.BFloat16));
      t.put("gpt_model.norm.weight", torch.randn(3).to(ScalarType.Half));
      t.put("gpt_model.freqs_cis", torch.randn(4, 2).to(ScalarType.Double));
      t.put("vq_model.quantize.codebook_used", torch.arange(new Scalar(6)));
      t.put("ref_model.gpt_model.norm.weight", torch.randn(3));
      SafetensorsWriter.write(in, t);
    }
    return in;
  }

  /** The previous, in-memory conversion: read everything, cast floats, write once. */
  private static void writeAtOnce(WeightSource src, String prefix, ScalarType floats, Path out,
      Map<String, String> meta) throws IOException {
    try (PointerScope s = new PointerScope()) {
      Map<String, Tensor> all = new LinkedHashMap<>();
      for (String k : src.keys()) {
        if (prefix == null || k.startsWith(prefix)) {
          Tensor t = src.read(k);
          all.put(prefix == null ? k : k.substring(prefix.length()),
              floats != null && t.is_floating_point() ? t.to(floats) : t);
        }
      }
      SafetensorsWriter.write(out, all, meta);
    }
  }

  @Test
  void streamedOutputHasTheBytesOfTheWholeWrite() throws IOException {
    Path in = source();
    Map<String, String> meta = Map.of("format", "pt", "converted_from", "in.safetensors");
    String[] prefixes = {null, "gpt_model."};
    ScalarType[] casts = {null, ScalarType.BFloat16, ScalarType.Float};
    int i = 0;
    for (String prefix : prefixes) {
      for (ScalarType cast : casts) {
        Path streamed = tmp.resolve("s" + i + ".safetensors");
        Path whole = tmp.resolve("w" + i + ".safetensors");
        i++;
        try (SafetensorsFile src = SafetensorsFile.open(in)) {
          int n = SafetensorsConversion.convert(src, prefix, cast, streamed, meta);
          assertThat(n).isEqualTo(prefix == null ? 6 : 4);
          writeAtOnce(src, prefix, cast, whole, meta);
        }
        assertThat(Files.readAllBytes(streamed)).as("prefix %s, cast %s", prefix, cast)
            .isEqualTo(Files.readAllBytes(whole));
      }
    }
  }

  /** Hands out the file's tensors and, at each read, counts how many it handed out are still allocated. */
  private static final class Counting implements WeightSource {
    final WeightSource inner;
    final List<Tensor> handedOut = new ArrayList<>();
    int maxAliveAtRead;

    Counting(WeightSource inner) {
      this.inner = inner;
    }

    @Override public Set<String> keys() { return inner.keys(); }
    @Override public TensorInfo info(String key) { return inner.info(key); }
    @Override public void close() { inner.close(); }

    @Override
    public Tensor read(String key) {
      int alive = 0;
      for (Tensor t : handedOut) {
        alive += t.isNull() ? 0 : 1;
      }
      maxAliveAtRead = Math.max(maxAliveAtRead, alive);
      Tensor t = inner.read(key);
      handedOut.add(t);
      return t;
    }
  }

  @Test
  void atMostOneSourceTensorIsResidentAtATime() throws IOException {
    Path in = source();
    try (Counting src = new Counting(SafetensorsFile.open(in))) {
      SafetensorsConversion.convert(src, null, ScalarType.BFloat16, tmp.resolve("o.safetensors"), Map.of());
      assertThat(src.handedOut).hasSize(6);
      // when each tensor is read, every tensor read before it has been freed
      assertThat(src.maxAliveAtRead).isZero();
      assertThat(src.handedOut).allMatch(t -> t.isNull());
    }
  }
}
