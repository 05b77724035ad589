package io.github.argrpo.weights;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A checkpoint split into shards, as Hugging Face saves large models: an index
 * ({@code model.safetensors.index.json} or {@code pytorch_model.bin.index.json}) whose
 * {@code weight_map} names the shard file of every tensor, presented as one {@link WeightSource}.
 *
 * <pre>{@code
 * try (WeightSource w = ShardedWeights.open(Path.of("flan-t5-xl/model.safetensors.index.json"))) {
 *   StateDictLoader.defaults().load(w, targets);
 * }
 * }</pre>
 *
 * <p>Shards are opened with {@link WeightFiles#open} (safetensors or {@code torch.save} zip), resolved
 * against the index's folder, and stay open (memory-mapped) until {@link #close()}. Everything the
 * index promises is checked when opening: a missing shard file, or a key mapped to a shard that lacks
 * it, fails then with a message naming the index, the key and the shard. The keys are those of the
 * {@code weight_map}, in its order; tensors a shard holds beyond them are not offered (Hugging Face
 * would load them, but an index that omits them is stale, so a warning says so).
 */
public final class ShardedWeights implements WeightSource {

  private static final Logger LOG = LoggerFactory.getLogger(ShardedWeights.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path index;
  private final Map<String, WeightSource> byKey;
  private final Map<String, String> undecodable;
  private final List<WeightSource> shards;
  private volatile boolean closed;

  private ShardedWeights(Path index, Map<String, WeightSource> byKey, Map<String, String> undecodable,
      List<WeightSource> shards) {
    this.index = index;
    this.byKey = Collections.unmodifiableMap(byKey);
    this.undecodable = Collections.unmodifiableMap(undecodable);
    this.shards = List.copyOf(shards);
  }

  /**
   * Opens the index {@code indexJson} and every shard it names.
   *
   * @throws WeightFormatException if the index is not JSON with a {@code weight_map} object of
   *     string values, or a shard lacks a key the index maps to it (or cannot be read as weights)
   * @throws NoSuchFileException if a shard file does not exist (the message names the index and the key
   *     that needed it)
   * @throws IOException if a file cannot be read
   */
  public static ShardedWeights open(Path indexJson) throws IOException {
    checkNotNull(indexJson, "indexJson");
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(indexJson));
    } catch (JsonProcessingException e) {
      throw new WeightFormatException(indexJson, "not a valid JSON shard index: " + e.getOriginalMessage(), e);
    }
    JsonNode map = root == null ? null : root.get("weight_map");
    if (map == null || !map.isObject()) {
      throw new WeightFormatException(indexJson, "a shard index needs a \"weight_map\" object "
          + "(tensor name -> shard file)");
    }
    if (map.isEmpty()) {
      throw new WeightFormatException(indexJson, "the weight_map is empty");
    }
    Path dir = indexJson.toAbsolutePath().getParent();
    Map<String, WeightSource> opened = new LinkedHashMap<>();
    Map<String, WeightSource> byKey = new LinkedHashMap<>();
    Map<String, String> undecodable = new LinkedHashMap<>();
    try {
      for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = e.getKey();
        if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
          throw new WeightFormatException(indexJson, "weight_map[\"" + key + "\"] must be a shard file "
              + "name, got " + e.getValue());
        }
        String file = e.getValue().asText();
        WeightSource shard = opened.get(file);
        if (shard == null) {
          Path p = dir.resolve(file);
          if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p.toString(), null, "shard '" + file + "' named by " + indexJson
                + " (for '" + key + "') does not exist");
          }
          shard = WeightFiles.open(p);
          opened.put(file, shard);
        }
        if (shard.undecodable().containsKey(key)) {
          undecodable.put(key, shard.undecodable().get(key));
          continue;
        }
        if (!shard.keys().contains(key)) {
          throw new WeightFormatException(indexJson, "weight_map maps '" + key + "' to shard '" + file
              + "', which has no such tensor (it has " + shard.keys().size() + ")");
        }
        byKey.put(key, shard);
      }
    } catch (IOException | RuntimeException e) {
      for (WeightSource s : opened.values()) {
        s.close();
      }
      throw e;
    }
    for (Map.Entry<String, WeightSource> e : opened.entrySet()) {
      long extra = e.getValue().keys().stream().filter(k -> !byKey.containsKey(k) && !undecodable.containsKey(k)).count();
      if (extra > 0) {
        LOG.warn("{}: shard '{}' holds {} tensors the index does not list; they are ignored", indexJson,
            e.getKey(), extra);
      }
    }
    return new ShardedWeights(indexJson, byKey, undecodable, new ArrayList<>(opened.values()));
  }

  /** The index file. */
  public Path index() {
    return index;
  }

  /** Number of shard files. */
  public int shardCount() {
    return shards.size();
  }

  @Override
  public Set<String> keys() {
    return byKey.keySet();
  }

  @Override
  public Map<String, String> undecodable() {
    return undecodable;
  }

  @Override
  public TensorInfo info(String key) {
    return shardOf(key).info(key);
  }

  @Override
  public Tensor read(String key) {
    WeightSource shard = shardOf(key);
    checkState(!closed, "%s is closed", index);
    return shard.read(key);
  }

  private WeightSource shardOf(String key) {
    WeightSource s = byKey.get(key);
    checkArgument(s != null, "no tensor '%s' in %s", key, index);
    return s;
  }

  /** Closes every shard; idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      for (WeightSource s : shards) {
        s.close();
      }
    }
  }

  @Override
  public String toString() {
    return index + " (" + shards.size() + " shards)";
  }
}
