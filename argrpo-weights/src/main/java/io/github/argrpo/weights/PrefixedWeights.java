package io.github.argrpo.weights;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;

/**
 * The tensors of another {@link WeightSource} whose names start with a prefix, presented without
 * it: {@code gpt_model.tok_embeddings.weight} in an AR-GRPO checkpoint is {@code tok_embeddings.weight}
 * here. Keys outside the prefix are not offered.
 *
 * <p>A view: it does not own the underlying source, and {@link #close()} leaves that open (close the
 * source itself).
 */
public final class PrefixedWeights implements WeightSource {

  private final WeightSource source;
  private final String prefix;
  private final Map<String, String> toSourceKey;

  private PrefixedWeights(WeightSource source, String prefix) {
    this.source = source;
    this.prefix = prefix;
    Map<String, String> m = new LinkedHashMap<>();
    for (String k : source.keys()) {
      if (k.startsWith(prefix) && k.length() > prefix.length()) {
        m.put(k.substring(prefix.length()), k);
      }
    }
    this.toSourceKey = Collections.unmodifiableMap(m);
  }

  /**
   * The tensors of {@code source} under {@code prefix} (for example {@code "gpt_model."}), renamed
   * without it.
   *
   * @throws IllegalArgumentException if the prefix is empty or no key starts with it
   */
  public static PrefixedWeights of(WeightSource source, String prefix) {
    checkNotNull(source, "source");
    checkArgument(prefix != null && !prefix.isEmpty(), "prefix must be non-empty");
    PrefixedWeights w = new PrefixedWeights(source, prefix);
    checkArgument(!w.toSourceKey.isEmpty(), "no tensor in %s starts with '%s'", source, prefix);
    return w;
  }

  /** The prefix removed from the names. */
  public String prefix() {
    return prefix;
  }

  @Override
  public Set<String> keys() {
    return toSourceKey.keySet();
  }

  @Override
  public Map<String, String> undecodable() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : source.undecodable().entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        out.put(e.getKey().substring(prefix.length()), e.getValue());
      }
    }
    return Collections.unmodifiableMap(out);
  }

  @Override
  public TensorInfo info(String key) {
    TensorInfo i = source.info(sourceKey(key));
    return new TensorInfo(key, i.dtype(), i.shape());
  }

  @Override
  public Tensor read(String key) {
    return source.read(sourceKey(key));
  }

  private String sourceKey(String key) {
    String k = toSourceKey.get(key);
    checkArgument(k != null, "no tensor '%s%s' in %s", prefix, key, source);
    return k;
  }

  /** Leaves the underlying source open: this is a view. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return source + " under '" + prefix + "'";
  }
}
