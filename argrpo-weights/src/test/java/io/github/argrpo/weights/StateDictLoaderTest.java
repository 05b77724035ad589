package io.github.argrpo.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.testing.Fixtures;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** All-or-nothing loading into live modules and tensor maps. */
class StateDictLoaderTest {

  static final Path TINY = Fixtures.parityDir().resolve("gpt-c2i-tiny");

  @TempDir Path tmp;

  @BeforeAll
  static void init() {
    NativeRuntime.init();
  }

  /** A module with a child, parameters that require grad, and buffers. */
  static final class TinyNet extends Module {
    final LinearImpl fc;
    final Tensor running;

    TinyNet() {
      fc = register_module("fc", new LinearImpl(4, 3));
      // register_buffer returns a reference into the module's buffer list, which moves when the
      // list grows: keep an owning handle instead (new Tensor(ref) shares the same storage).
      running = new Tensor(register_buffer("running", torch.zeros(3)));
      register_buffer("freqs_cis", torch.zeros(2, 2));
    }
  }

  @Test
  void loadsIntoModuleCastingDtypesAndIgnoringDefaults() throws IOException {
    TinyNet net = new TinyNet(); // outside any scope: it outlives the test's scopes
    Path f = tmp.resolve("net.safetensors");
    try (PointerScope scope = new PointerScope()) {
      Map<String, Tensor> file = new LinkedHashMap<>();
      file.put("fc.weight", torch.randn(3, 4).to(ScalarType.BFloat16));
      file.put("fc.bias", torch.randn(3).to(ScalarType.Double));
      file.put("running", torch.ones(3));
      file.put("layers.0.attention.kv_cache.k_cache", torch.ones(1, 2));
      SafetensorsWriter.write(f, file);
      try (SafetensorsFile w = SafetensorsFile.open(f)) {
        StateDictLoader.Report r = StateDictLoader.defaults().load(w, StateDictLoader.stateDict(net));
        assertThat(r.loaded()).containsExactlyInAnyOrder("fc.weight", "fc.bias", "running");
        assertThat(r.ignoredInSource()).containsExactly("layers.0.attention.kv_cache.k_cache");
        assertThat(r.ignoredInTarget()).containsExactly("freqs_cis");
        assertThat(r.bytesRead()).isEqualTo(12 * 2 + 3 * 8 + 3 * 4);
      }
      assertThat(net.fc.weight().scalar_type().value).isEqualTo(ScalarType.Float.value);
      assertThat(torch.equal(net.fc.weight(), file.get("fc.weight").to(ScalarType.Float))).isTrue();
      assertThat(torch.allclose(net.fc.bias(), file.get("fc.bias").to(ScalarType.Float))).isTrue();
      assertThat(net.fc.weight().requires_grad()).isTrue();
      assertThat(torch.equal(net.running, torch.ones(3))).isTrue();
    }
  }

  @Test
  void mismatchNamesEveryProblemAndCopiesNothing() throws IOException {
    TinyNet net = new TinyNet();
    Path f = tmp.resolve("bad.safetensors");
    try (PointerScope scope = new PointerScope()) {
      Tensor before = net.fc.weight().clone();
      Map<String, Tensor> file = new LinkedHashMap<>();
      file.put("fc.weight", torch.ones(3, 4));     // fine, but must not be copied
      file.put("fc.bias", torch.ones(4));          // wrong shape
      file.put("extra.weight", torch.ones(1));     // unexpected; "running" missing
      SafetensorsWriter.write(f, file);
      try (SafetensorsFile w = SafetensorsFile.open(f)) {
        assertThatThrownBy(() -> StateDictLoader.defaults().load(w, StateDictLoader.stateDict(net)))
            .isInstanceOfSatisfying(StateDictMismatchException.class, e -> {
              assertThat(e.missing()).containsExactly("running");
              assertThat(e.unexpected()).containsExactly("extra.weight");
              assertThat(e.shapeMismatches()).containsExactly("fc.bias: file [4] vs model [3]");
              assertThat(e.getMessage()).contains("bad.safetensors", "running", "extra.weight",
                  "fc.bias");
            });
      }
      assertThat(torch.equal(net.fc.weight(), before)).isTrue();
    }
  }

  @Test
  void strictLoaderRequiresIgnoredKeysToo() throws IOException {
    TinyNet net = new TinyNet();
    Path f = tmp.resolve("s.safetensors");
    try (PointerScope scope = new PointerScope()) {
      SafetensorsWriter.write(f, Map.of("fc.weight", torch.ones(3, 4), "fc.bias", torch.ones(3),
          "running", torch.ones(3)));
      try (SafetensorsFile w = SafetensorsFile.open(f)) {
        assertThatThrownBy(() -> StateDictLoader.ignoring(List.of()).load(w,
            StateDictLoader.stateDict(net)))
            .isInstanceOfSatisfying(StateDictMismatchException.class,
                e -> assertThat(e.missing()).containsExactly("freqs_cis"));
        StateDictLoader.ignoring(List.of()).alsoIgnoring("freqs_*").load(w, StateDictLoader.stateDict(net));
      }
      assertThat(torch.equal(net.fc.bias(), torch.ones(3))).isTrue();
    }
  }

  @Test
  void globPatternsMatchWholeKeys() {
    StateDictLoader d = StateDictLoader.defaults();
    assertThat(d.isIgnored("freqs_cis")).isTrue();
    assertThat(d.isIgnored("model.freqs_cis")).isTrue();
    assertThat(d.isIgnored("layers.11.attention.kv_cache.v_cache")).isTrue();
    assertThat(d.isIgnored("quantize.codebook_used")).isTrue();
    assertThat(d.isIgnored("quantize.embedding.weight")).isFalse();
    assertThat(d.isIgnored("freqs_cis_extra")).isFalse();
    assertThat(d.isIgnored("layers.0.attention.wqkv.weight")).isFalse();
  }

  @Test
  void loadsMixedPrecisionCheckpointIntoFp32Targets() throws IOException {
    try (WeightSource ckpt = WeightFiles.open(TINY.resolve("weights_mixed.pt"));
        SafetensorsFile ref = SafetensorsFile.open(TINY.resolve("weights.safetensors"));
        PointerScope scope = new PointerScope()) {
      Map<String, Tensor> target = new LinkedHashMap<>();
      for (String k : ref.keys()) {
        target.put(k, torch.zeros(ref.info(k).shape()));
      }
      StateDictLoader.Report r = StateDictLoader.defaults().load(ckpt, target);
      assertThat(r.loaded()).hasSize(18);
      Tensor want = ref.read("tok_embeddings.weight").to(ScalarType.BFloat16).to(ScalarType.Float);
      assertThat(torch.equal(target.get("tok_embeddings.weight"), want)).isTrue();
      assertThat(torch.equal(target.get("norm.weight"), ref.read("norm.weight"))).isTrue();
    }
  }
}
