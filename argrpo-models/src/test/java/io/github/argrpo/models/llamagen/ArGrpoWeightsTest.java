package io.github.argrpo.models.llamagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.weights.SafetensorsWriter;

/**
 * A released AR-GRPO checkpoint loads as policy weights: the {@code save_pretrained} folder of its
 * wrapper holds the policy as {@code gpt_model.*} and a different reference as
 * {@code ref_model.gpt_model.*} (ar-grpo.md 2.2, 2.8), here sharded with a
 * {@code model.safetensors.index.json}, written by the test.
 */
class ArGrpoWeightsTest {

  @Test
  void theSavePretrainedFolderLoadsThePolicyNotTheReference(@TempDir Path dir) throws Exception {
    GptConfig c = TinyGpt.t2i(Precision.FP32);
    List<Condition> conds = List.of(TinyGpt.text(c.captionDim(), 9, 2));
    try (LlamaGenPolicy trained = TinyGpt.policy(c, 31); LlamaGenPolicy ref = TinyGpt.policy(c, 32);
        PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      Map<String, Tensor> shard1 = new LinkedHashMap<>();
      Map<String, Tensor> shard2 = new LinkedHashMap<>();
      StringBuilder map = new StringBuilder();
      int i = 0;
      for (String owner : new String[] {"gpt_model.", "ref_model.gpt_model."}) {
        LlamaGenPolicy p = owner.equals("gpt_model.") ? trained : ref;
        for (Map.Entry<String, Tensor> e : p.stateDict().entrySet()) {
          String key = owner + e.getKey();
          boolean first = i++ % 2 == 0;
          (first ? shard1 : shard2).put(key, e.getValue());
          map.append(map.length() == 0 ? "" : ",").append('"').append(key).append("\":\"")
              .append(first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors").append('"');
        }
      }
      SafetensorsWriter.write(dir.resolve("model-00001-of-00002.safetensors"), shard1);
      SafetensorsWriter.write(dir.resolve("model-00002-of-00002.safetensors"), shard2);
      Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"weight_map\":{" + map + "}}");
      Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"ImgGen_HF\"}");

      Tensor tokens = torch.randint(c.vocabSize(), new long[] {1, c.blockSize()});
      try (LlamaGenPolicy loaded = LlamaGenPolicy.load(c, dir, DeviceSpec.CPU)) {
        assertThat(loaded.logits(conds, tokens).equal(trained.logits(conds, tokens))).isTrue();
        assertThat(loaded.namedBuffers().get("cls_embedding.uncond_embedding")
            .equal(trained.namedBuffers().get("cls_embedding.uncond_embedding"))).isTrue();
      }
      GptConfig c2i = c.toBuilder().c2i().build();
      assertThatThrownBy(() -> LlamaGenPolicy.load(c2i, dir, DeviceSpec.CPU))
          .hasMessageContaining("under the prefix 'gpt_model.'")
          .hasMessageContaining("missing from the file (1): [cls_embedding.embedding_table.weight]");
    }
  }
}
