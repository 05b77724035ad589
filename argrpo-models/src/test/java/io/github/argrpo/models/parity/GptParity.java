package io.github.argrpo.models.parity;

import static com.google.common.base.Preconditions.checkArgument;
import static io.github.argrpo.models.llamagen.TensorAsserts.assertClose;
import static io.github.argrpo.models.llamagen.TensorAsserts.floats;
import static io.github.argrpo.models.llamagen.TensorAsserts.longs;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.condition.TextCondition;
import io.github.argrpo.core.condition.TextFeatures;
import io.github.argrpo.core.policy.LogProbSource;
import io.github.argrpo.core.policy.SamplingConfig;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.weights.SafetensorsDtype;
import io.github.argrpo.weights.SafetensorsFile;
import io.github.argrpo.weights.WeightFiles;
import io.github.argrpo.weights.WeightSource;
import io.github.argrpo.models.llamagen.Generation;
import io.github.argrpo.models.llamagen.GptConfig;
import io.github.argrpo.models.llamagen.LlamaGenPolicy;
import io.github.argrpo.models.llamagen.ModelType;

/**
 * Parity of the LlamaGen GPT ({@code kind = llamagen-gpt}) with the official code: teacher-forced
 * logits and log-probs, greedy CFG generation with the KV cache (tokens exactly, guided logits within
 * tolerance) and the train-mode loss, for every weight file of the fixture.
 *
 * <p>Everything is derived from {@code config.json} and the shapes in {@code io.safetensors}: cases run
 * when their tensors are present, so any fixture of this format (other sizes, seeds, batches) works.
 */
public final class GptParity implements ParityHandler {

  @Override
  public boolean handles(String kind) {
    return "llamagen-gpt".equals(kind);
  }

  @Override
  public Stream<? extends DynamicNode> cases(Path dir, JsonNode config) throws Exception {
    String folder = dir.getFileName().toString();
    GptConfig gpt = gptConfig(config.path("model"));
    double atol = config.path("tolerance").path("logits_atol").asDouble(1e-4);
    double rtol = config.path("tolerance").path("logits_rtol").asDouble(0.0);
    double cfgScale = config.path("cfg_scale").asDouble(1.0);
    List<String> keys;
    try (SafetensorsFile io = SafetensorsFile.open(dir.resolve("io.safetensors"))) {
      keys = new ArrayList<>(io.keys());
    }
    List<DynamicNode> tests = new ArrayList<>();
    List<Path> weightFiles = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().startsWith("weights")).sorted().forEach(weightFiles::add);
    }
    for (Path w : weightFiles) {
      String name = folder + " / " + w.getFileName();
      boolean allF32;
      try (WeightSource src = WeightFiles.open(w)) {
        allF32 = src.keys().stream().allMatch(k -> src.info(k).dtype().equals("F32"));
      }
      Path reference = dir.resolve("weights.safetensors");
      if (!allF32 && Files.exists(reference) && !w.equals(reference)) {
        // Mixed-dtype checkpoints (bf16/fp16 tensors, as FSDP files are) hold the fp32 reference
        // values rounded to their dtype: check that every tensor loads to exactly that.
        tests.add(test(name + " / load", dir, w, gpt, p -> mixedLoad(p, w, reference)));
        continue;
      }
      if (keys.contains("tf.logits")) {
        tests.add(test(name + " / teacher_forced", dir, w, gpt, p -> teacherForced(p, dir, atol, rtol)));
      }
      if (keys.contains("gen.tokens")) {
        tests.add(test(name + " / generate", dir, w, gpt, p -> generate(p, dir, cfgScale, atol, rtol)));
      }
      if (keys.contains("train.loss")) {
        tests.add(test(name + " / train_loss", dir, w, gpt, p -> trainLoss(p, dir, atol, rtol)));
      }
      if (keys.contains("uncond_embedding")) {
        tests.add(test(name + " / uncond_embedding", dir, w, gpt, p -> uncondEmbedding(p, dir)));
      }
    }
    return tests.stream();
  }

  /** The model config of a fixture: the reference's {@code ModelArgs} fields, defaults where absent. */
  static GptConfig gptConfig(JsonNode m) {
    GptConfig.Builder b = GptConfig.builder()
        .dim(m.path("dim").asInt())
        .nLayer(m.path("n_layer").asInt())
        .nHead(m.path("n_head").asInt())
        .vocabSize(m.path("vocab_size").asInt())
        .modelType(ModelType.parse(m.path("model_type").asText("c2i")))
        .blockSize(m.path("block_size").asInt())
        .clsTokenNum(m.path("cls_token_num").asInt(1))
        .numClasses(m.path("num_classes").asInt(1000))
        .captionDim(m.path("caption_dim").asInt(2048))
        .tokenDropoutP(m.path("token_dropout_p").asDouble(0.1))
        .attnDropoutP(m.path("attn_dropout_p").asDouble(0.0))
        .residDropoutP(m.path("resid_dropout_p").asDouble(0.1))
        .ffnDropoutP(m.path("ffn_dropout_p").asDouble(0.1))
        .classDropoutProb(m.path("class_dropout_prob").asDouble(0.1))
        .multipleOf(m.path("multiple_of").asInt(256))
        .normEps(m.path("norm_eps").asDouble(1e-5))
        .ropeBase(m.path("rope_base").asDouble(10000))
        .precision(Precision.FP32);
    if (m.hasNonNull("ffn_dim_multiplier")) {
      b.ffnDimMultiplier(m.path("ffn_dim_multiplier").asDouble());
    }
    checkArgument(!(m.hasNonNull("n_kv_head") && m.path("n_kv_head").asInt() != m.path("n_head").asInt()),
        "grouped-query attention (n_kv_head != n_head) is not supported");
    return b.build();
  }

  private interface Case {
    void run(LlamaGenPolicy policy) throws Exception;
  }

  private static DynamicTest test(String name, Path dir, Path weights, GptConfig gpt, Case c) {
    Executable e = () -> {
      NativeRuntime.init();
      try (LlamaGenPolicy policy = LlamaGenPolicy.create(gpt, DeviceSpec.CPU);
          WeightSource w = WeightFiles.open(weights)) {
        policy.loadWeights(w);
        policy.setTraining(false);
        c.run(policy);
      }
    };
    return DynamicTest.dynamicTest(name, e);
  }

  private static void teacherForced(LlamaGenPolicy p, Path dir, double atol, double rtol) throws Exception {
    try (SafetensorsFile io = SafetensorsFile.open(dir.resolve("io.safetensors"));
        PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      List<Condition> conds = conditions(p.config(), io, "tf");
      Tensor tokens = io.read("tf.tokens");
      assertClose("tf.logits", p.logits(conds, tokens), io.read("tf.logits"), atol, rtol);
      Tensor lp = p.tokenLogProbs(conds, tokens, LogProbSource.CONDITIONAL, SamplingConfig.plain());
      assertClose("tf.token_logprobs", lp, io.read("tf.token_logprobs"), atol, rtol);
    }
  }

  private static void generate(LlamaGenPolicy p, Path dir, double cfgScale, double atol, double rtol) throws Exception {
    try (SafetensorsFile io = SafetensorsFile.open(dir.resolve("io.safetensors"));
        PointerScope s = new PointerScope()) {
      List<Condition> conds = conditions(p.config(), io, "gen");
      SamplingConfig cfg = SamplingConfig.plain().withCfgScale(cfgScale);
      Generation g = p.generate(conds, 1, cfg, true, true);
      long[] expected = longs(io.read("gen.tokens"));
      assertThat(longs(g.tokens())).as("gen.tokens (greedy CFG decoding with the KV cache)").containsExactly(expected);
      assertClose("gen.cfg_logits", g.guidedLogits(), io.read("gen.cfg_logits"), atol, rtol);
    }
  }

  private static void trainLoss(LlamaGenPolicy p, Path dir, double atol, double rtol) throws Exception {
    try (SafetensorsFile io = SafetensorsFile.open(dir.resolve("io.safetensors"));
        PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      // The fixture's model has every dropout at 0, but the reference's train-mode LabelEmbedder still
      // replaces each label by the null class with probability class_dropout_prob, drawn from Python's
      // RNG, which cannot be replayed. So the loss must equal ours for one of the 2^B drop patterns
      // (no drop first); e.g. gpt-c2i-hd100's loss is the one with label 0 dropped.
      List<Condition> conds = conditions(p.config(), io, "tf");
      Tensor tokens = io.read("tf.tokens");
      Tensor expected = io.read("train.loss");
      int b = conds.size();
      boolean canDrop = p.config().modelType() == ModelType.CLASS_TO_IMAGE && p.config().hasNullClass() && b <= 12;
      List<String> tried = new ArrayList<>();
      for (int pattern = 0; pattern < (canDrop ? 1 << b : 1); pattern++) {
        List<Condition> dropped = new ArrayList<>(conds);
        for (int i = 0; i < b; i++) {
          if ((pattern >> i & 1) == 1) {
            dropped.set(i, Condition.ofClass(p.config().numClasses()));
          }
        }
        Tensor loss = p.trainLoss(dropped, tokens).reshape(1);
        try {
          assertClose("train.loss", loss, expected, atol, rtol);
          return;
        } catch (AssertionError e) {
          tried.add(String.format("drop pattern %s: %.7f", Integer.toBinaryString(pattern), loss.item_double()));
        }
      }
      throw new AssertionError("train.loss " + expected.item_double() + " matches no condition-drop pattern: " + tried);
    }
  }

  private static void mixedLoad(LlamaGenPolicy p, Path weights, Path reference) throws Exception {
    try (WeightSource mixed = WeightFiles.open(weights); SafetensorsFile ref = SafetensorsFile.open(reference);
        PointerScope s = new PointerScope()) {
      int rounded = 0;
      for (var e : p.stateDict().entrySet()) {
        String dtype = mixed.info(e.getKey()).dtype();
        Tensor expected = ref.read(e.getKey()).to(SafetensorsDtype.valueOf(dtype).scalarType()).to(torch.ScalarType.Float);
        assertClose(e.getKey() + " (stored as " + dtype + ")", e.getValue(), expected, 0, 0);
        rounded += dtype.equals("F32") ? 0 : 1;
      }
      assertThat(rounded).as("tensors stored in a reduced precision").isGreaterThan(0);
    }
  }

  private static void uncondEmbedding(LlamaGenPolicy p, Path dir) throws Exception {
    try (SafetensorsFile io = SafetensorsFile.open(dir.resolve("io.safetensors"));
        PointerScope s = new PointerScope()) {
      assertClose("cls_embedding.uncond_embedding", p.stateDict().get("cls_embedding.uncond_embedding"),
          io.read("uncond_embedding"), 0, 0);
    }
  }

  /** The conditions of case {@code prefix}: class ids, or caption features with their mask. */
  static List<Condition> conditions(GptConfig c, SafetensorsFile io, String prefix) {
    List<Condition> out = new ArrayList<>();
    if (c.modelType() == ModelType.CLASS_TO_IMAGE) {
      for (long label : longs(io.read(prefix + ".cond"))) {
        out.add(Condition.ofClass((int) label));
      }
      return out;
    }
    Tensor caption = io.read(prefix + ".caption");
    Tensor mask = io.read(prefix + ".emb_mask");
    int b = (int) caption.size(0);
    int tokens = (int) caption.size(1);
    int dim = (int) caption.size(2);
    float[] all = floats(caption);
    long[] m = longs(mask);
    for (int i = 0; i < b; i++) {
      boolean[] valid = new boolean[tokens];
      for (int k = 0; k < tokens; k++) {
        valid[k] = m[i * tokens + k] != 0;
      }
      float[] v = Arrays.copyOfRange(all, i * tokens * dim, (i + 1) * tokens * dim);
      out.add(new TextCondition("fixture prompt " + i, new TextFeatures(v, tokens, dim, valid)));
    }
    return out;
  }
}
