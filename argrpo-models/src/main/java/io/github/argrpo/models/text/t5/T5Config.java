package io.github.argrpo.models.text.t5;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The architecture of a T5 encoder: the fields of Hugging Face's {@code T5Config} that the encoder
 * stack uses, validated. Names in parentheses are the {@code config.json} keys.
 *
 * <pre>{@code
 * T5Config xl = T5Config.flanT5Xl();                                 // LlamaGen's text encoder
 * T5Config c = T5Config.fromJson(Path.of("flan-t5-xl/config.json")); // the same, from the file
 * }</pre>
 *
 * @param vocabSize rows of the token embedding ({@code vocab_size}, 32128)
 * @param dModel hidden width ({@code d_model})
 * @param dKv width of one attention head ({@code d_kv}); the attention inner width is
 *     {@code numHeads * dKv}, which need not equal {@code dModel}
 * @param numHeads attention heads ({@code num_heads})
 * @param numLayers encoder blocks ({@code num_layers})
 * @param dFf feed-forward hidden width ({@code d_ff})
 * @param feedForward the feed-forward kind ({@code feed_forward_proj}: {@code "relu"} for the original
 *     T5, {@code "gated-gelu"} for T5 v1.1 and FLAN-T5)
 * @param layerNormEpsilon the RMS norm epsilon ({@code layer_norm_epsilon}, 1e-6)
 * @param relativeAttentionNumBuckets relative-position buckets ({@code relative_attention_num_buckets},
 *     32), half per direction in the (bidirectional) encoder
 * @param relativeAttentionMaxDistance distance from which all positions share the last bucket
 *     ({@code relative_attention_max_distance}, 128)
 */
public record T5Config(
    int vocabSize,
    int dModel,
    int dKv,
    int numHeads,
    int numLayers,
    int dFf,
    FeedForwardProj feedForward,
    double layerNormEpsilon,
    int relativeAttentionNumBuckets,
    int relativeAttentionMaxDistance) {

  /** The feed-forward variants of T5 supported here ({@code feed_forward_proj}). */
  public enum FeedForwardProj {
    /** {@code wo(relu(wi x))}: the original T5 ({@code "relu"}; keys {@code wi}, {@code wo}). */
    RELU("relu"),
    /**
     * {@code wo(gelu_tanh(wi_0 x) * wi_1 x)}: T5 v1.1 and FLAN-T5 ({@code "gated-gelu"}; keys
     * {@code wi_0}, {@code wi_1}, {@code wo}). Hugging Face maps {@code "gated-gelu"} to
     * {@code gelu_new}, the tanh approximation, not the exact erf GELU.
     */
    GATED_GELU("gated-gelu");

    private final String jsonName;

    FeedForwardProj(String jsonName) {
      this.jsonName = jsonName;
    }

    /** The {@code feed_forward_proj} value. */
    public String jsonName() {
      return jsonName;
    }

    /** Whether the block has the gate projection {@code wi_1} besides {@code wi_0}. */
    public boolean gated() {
      return this == GATED_GELU;
    }

    /**
     * The variant named {@code value} in a {@code config.json}.
     *
     * @throws IllegalArgumentException for any other value, listing the supported ones
     */
    public static FeedForwardProj parse(String value) {
      for (FeedForwardProj p : values()) {
        if (p.jsonName.equals(value)) {
          return p;
        }
      }
      throw new IllegalArgumentException("feed_forward_proj '" + value + "' is not supported; "
          + "supported: " + Arrays.stream(values()).map(FeedForwardProj::jsonName).toList());
    }
  }

  /** Model types whose encoder is this architecture (mT5 differs only in vocabulary and sizes). */
  private static final Set<String> MODEL_TYPES = Set.of("t5", "mt5");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Validates every field; the message names the field and the value. */
  public T5Config {
    positive("vocabSize", vocabSize);
    positive("dModel", dModel);
    positive("dKv", dKv);
    positive("numHeads", numHeads);
    positive("numLayers", numLayers);
    positive("dFf", dFf);
    checkArgument(feedForward != null, "feedForward must be set");
    checkArgument(layerNormEpsilon > 0 && !Double.isInfinite(layerNormEpsilon),
        "layerNormEpsilon must be > 0, got %s", layerNormEpsilon);
    // The bidirectional bucketing halves the buckets per direction and keeps a quarter of them for
    // exact small distances; with fewer than 4 there is no exact bucket and log(n / 0) follows.
    checkArgument(relativeAttentionNumBuckets >= 4,
        "relativeAttentionNumBuckets must be >= 4, got %s", relativeAttentionNumBuckets);
    int maxExact = relativeAttentionNumBuckets / 2 / 2;
    // log(maxDistance / maxExact) is the divisor of the log-scaled buckets: it must be > 0.
    checkArgument(relativeAttentionMaxDistance > maxExact,
        "relativeAttentionMaxDistance must be > %s (a quarter of the %s buckets), got %s", maxExact,
        relativeAttentionNumBuckets, relativeAttentionMaxDistance);
  }

  private static void positive(String name, int v) {
    checkArgument(v > 0, "%s must be > 0, got %s", name, v);
  }

  /** The attention inner width {@code numHeads * dKv}. */
  public int innerDim() {
    return numHeads * dKv;
  }

  /**
   * google/flan-t5-xl's encoder, as used by LlamaGen text-to-image: d_model 2048, 32 heads of 64,
   * 24 layers, d_ff 5120, gated-gelu, 32 buckets up to distance 128, vocabulary 32128.
   */
  public static T5Config flanT5Xl() {
    return new T5Config(32128, 2048, 64, 32, 24, 5120, FeedForwardProj.GATED_GELU, 1e-6, 32, 128);
  }

  /**
   * A tiny encoder for tests: width 32, 4 heads of 8, 3 layers, d_ff 48, vocabulary 100, and T5's 32
   * buckets up to distance 128 (so sequences longer than 128 reach the last bucket).
   */
  public static T5Config tiny(FeedForwardProj feedForward) {
    return new T5Config(100, 32, 8, 4, 3, 48, feedForward, 1e-6, 32, 128);
  }

  /**
   * This architecture as a Hugging Face {@code config.json} of a {@code T5EncoderModel}, which
   * {@link #fromJson} (and transformers) reads back to the same values.
   */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("architectures", List.of("T5EncoderModel"));
    m.put("model_type", "t5");
    m.put("vocab_size", vocabSize);
    m.put("d_model", dModel);
    m.put("d_kv", dKv);
    m.put("num_heads", numHeads);
    m.put("num_layers", numLayers);
    m.put("d_ff", dFf);
    m.put("feed_forward_proj", feedForward.jsonName());
    m.put("layer_norm_epsilon", layerNormEpsilon);
    m.put("relative_attention_num_buckets", relativeAttentionNumBuckets);
    m.put("relative_attention_max_distance", relativeAttentionMaxDistance);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a Hugging Face {@code config.json}. Keys it lacks take {@code T5Config}'s defaults
   * (vocab 32128, d_model 512, d_kv 64, d_ff 2048, 6 layers, 8 heads, 32 buckets, distance 128,
   * epsilon 1e-6, "relu"), as transformers does; old t5-small configs lack the distance, for example.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if it is not a JSON object, a key has the wrong type, the
   *     {@code model_type} is not T5's, {@code feed_forward_proj} is unsupported or a value is out of
   *     range; the message names the file and the key
   */
  public static T5Config fromJson(Path configJson) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(configJson));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(configJson + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    checkArgument(root != null && root.isObject(), "%s: expected a JSON object, got %s", configJson,
        root == null ? "nothing" : root.getNodeType().toString().toLowerCase(Locale.ROOT));
    JsonNode type = root.get("model_type");
    checkArgument(type == null || (type.isTextual() && MODEL_TYPES.contains(type.asText())),
        "%s: model_type %s is not a T5 encoder this class implements (expected one of %s; umT5, for one, has a "
            + "position bias per layer)",
        configJson, type, MODEL_TYPES.stream().sorted().collect(Collectors.joining(", ")));
    JsonNode ff = root.get("feed_forward_proj");
    checkArgument(!(ff != null && !ff.isTextual()), "%s: feed_forward_proj must be a string, got %s", configJson, ff);
    try {
      return new T5Config(
          integer(configJson, root, "vocab_size", 32128),
          integer(configJson, root, "d_model", 512),
          integer(configJson, root, "d_kv", 64),
          integer(configJson, root, "num_heads", 8),
          integer(configJson, root, "num_layers", 6),
          integer(configJson, root, "d_ff", 2048),
          FeedForwardProj.parse(ff == null ? "relu" : ff.asText()),
          number(configJson, root, "layer_norm_epsilon", 1e-6),
          integer(configJson, root, "relative_attention_num_buckets", 32),
          integer(configJson, root, "relative_attention_max_distance", 128));
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(configJson.toString())) {
        throw e;
      }
      throw new IllegalArgumentException(configJson + ": " + e.getMessage(), e);
    }
  }

  private static int integer(Path file, JsonNode root, String key, int dflt) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      return dflt;
    }
    checkArgument(n.isIntegralNumber() && n.canConvertToInt(), "%s: %s must be an integer, got %s", file, key, n);
    return n.asInt();
  }

  private static double number(Path file, JsonNode root, String key, double dflt) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      return dflt;
    }
    checkArgument(n.isNumber(), "%s: %s must be a number, got %s", file, key, n);
    return n.asDouble();
  }
}
