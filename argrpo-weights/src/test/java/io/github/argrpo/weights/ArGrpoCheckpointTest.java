package io.github.argrpo.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
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

/**
 * AR-GRPO's released checkpoints: a Hugging Face {@code save_pretrained} of its {@code ImgGen_HF}
 * wrapper, whose state dict holds the policy as {@code gpt_model.*}, the reference copy as
 * {@code ref_model.gpt_model.*} (the reference model is registered as a submodule) and the VQ as
 * {@code vq_model.*} (ar-grpo.md, sections 2.2 and 2.8), in one {@code model.safetensors} or in shards
 * named by {@code model.safetensors.index.json}. The files are written here by hand.
 */
class ArGrpoCheckpointTest {

  @TempDir Path tmp;

  @BeforeAll
  static void init() {
    NativeRuntime.init();
  }

  /** The model's tensors: values 1 (policy), 2 (reference), 3 (VQ) tell them apart. */
  private static Map<String, Tensor> target() {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("tok_embeddings.weight", torch.zeros(4, 2));
    t.put("layers.0.attention.wqkv.weight", torch.zeros(6, 2));
    t.put("norm.weight", torch.zeros(2));
    return t;
  }

  private static Map<String, Tensor> arGrpoStateDict() {
    Map<String, Tensor> sd = new LinkedHashMap<>();
    for (String owner : new String[] {"ref_model.gpt_model.", "gpt_model."}) {
      double v = owner.startsWith("ref") ? 2 : 1;
      for (Map.Entry<String, Tensor> e : target().entrySet()) {
        sd.put(owner + e.getKey(), torch.full(e.getValue().shape(), new Scalar(v)));
      }
      sd.put(owner + "freqs_cis", torch.zeros(5, 2));
    }
    sd.put("vq_model.quantize.embedding.weight", torch.full(new long[] {8, 2}, new Scalar(3.0)));
    sd.put("ref_model.vq_model.quantize.embedding.weight", torch.full(new long[] {8, 2}, new Scalar(3.0)));
    return sd;
  }

  private static void assertPolicyLoaded(Map<String, Tensor> t) {
    for (Map.Entry<String, Tensor> e : t.entrySet()) {
      assertThat(e.getValue().eq(new Scalar(1.0)).all().item_bool()).as(e.getKey()).isTrue();
    }
  }

  @Test
  void singleFileLoadsThePolicyUnderGptModelAndIgnoresReferenceAndVq() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("checkpoint-100"));
    try (PointerScope s = new PointerScope()) {
      SafetensorsWriter.write(dir.resolve("model.safetensors"), arGrpoStateDict());
      Map<String, Tensor> t = target();
      try (WeightSource w = WeightFiles.open(dir)) {
        StateDictLoader.Report r = StateDictLoader.defaults().load(w, t);
        assertThat(r.loaded()).containsExactlyInAnyOrder("tok_embeddings.weight", "layers.0.attention.wqkv.weight",
            "norm.weight");
        assertThat(r.ignoredInSource()).containsExactly("freqs_cis");
      }
      assertPolicyLoaded(t);
    }
  }

  @Test
  void shardedIndexLoadsFromTheFolderOrTheIndexFile() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("checkpoint-300"));
    try (PointerScope s = new PointerScope()) {
      Map<String, Tensor> all = arGrpoStateDict();
      Map<String, Tensor> one = new LinkedHashMap<>();
      Map<String, Tensor> two = new LinkedHashMap<>();
      StringBuilder map = new StringBuilder();
      int i = 0;
      for (Map.Entry<String, Tensor> e : all.entrySet()) {
        boolean first = i++ % 2 == 0;
        (first ? one : two).put(e.getKey(), e.getValue());
        map.append(map.length() == 0 ? "" : ", ").append('"').append(e.getKey()).append("\": \"")
            .append(first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors").append('"');
      }
      SafetensorsWriter.write(dir.resolve("model-00001-of-00002.safetensors"), one);
      SafetensorsWriter.write(dir.resolve("model-00002-of-00002.safetensors"), two);
      Files.writeString(dir.resolve("model.safetensors.index.json"),
          "{\"metadata\": {\"total_size\": 1}, \"weight_map\": {" + map + "}}");
      for (Path p : new Path[] {dir, dir.resolve("model.safetensors.index.json")}) {
        Map<String, Tensor> t = target();
        try (WeightSource w = WeightFiles.open(p)) {
          assertThat(w).isInstanceOf(ShardedWeights.class);
          StateDictLoader.defaults().load(w, t);
        }
        assertPolicyLoaded(t);
      }
    }
  }

  @Test
  void keysThatStillDoNotFitNameThePrefixFoundAndTheNamesExpected() throws IOException {
    Path f = tmp.resolve("model.safetensors");
    try (PointerScope s = new PointerScope()) {
      Map<String, Tensor> sd = arGrpoStateDict();
      sd.remove("gpt_model.norm.weight");
      sd.remove("ref_model.gpt_model.norm.weight");
      SafetensorsWriter.write(f, sd);
      Map<String, Tensor> t = target();
      try (WeightSource w = WeightFiles.open(f)) {
        assertThatThrownBy(() -> StateDictLoader.defaults().load(w, t))
            .isInstanceOf(StateDictMismatchException.class)
            .hasMessageContaining("under the prefix 'gpt_model.'")
            .hasMessageContaining("expects names without it (e.g. 'tok_embeddings.weight')")
            .hasMessageContaining("missing from the file (1): [norm.weight]")
            .satisfies(e -> assertThat(((StateDictMismatchException) e).unexpected()).isEmpty());
      }
      assertThat(t.get("tok_embeddings.weight").eq(new Scalar(0.0)).all().item_bool()).as("nothing copied").isTrue();
    }
  }

  @Test
  void aFolderWithoutWeightsSaysWhatItLookedFor() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> WeightFiles.open(dir)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("model.safetensors.index.json").hasMessageContaining("pytorch_model.bin");
  }
}
