package io.github.argrpo.weights;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the name prefix under which a file stores a model's tensors: {@code gpt_model.} in an
 * AR-GRPO {@code save_pretrained} checkpoint (which also holds {@code ref_model.gpt_model.*} and
 * {@code vq_model.*}), {@code module.} in a DDP state dict. A prefix is a run of whole dotted
 * segments ending with a dot.
 */
final class KeyPrefixes {

  private KeyPrefixes() {}

  /**
   * For every prefix {@code p} with {@code p + k} in {@code sourceKeys} for some wanted key {@code k}:
   * how many wanted keys it covers ({@code ""} included), in order of first appearance.
   */
  static Map<String, Integer> coverage(Collection<String> sourceKeys, Set<String> wanted) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String s : sourceKeys) {
      if (wanted.contains(s)) {
        counts.merge("", 1, Integer::sum);
      }
      for (int i = s.indexOf('.'); i >= 0 && i < s.length() - 1; i = s.indexOf('.', i + 1)) {
        if (wanted.contains(s.substring(i + 1))) {
          counts.merge(s.substring(0, i + 1), 1, Integer::sum);
        }
      }
    }
    return counts;
  }

  /**
   * The shortest non-empty prefix under which every wanted key is present: {@code gpt_model.} rather
   * than {@code ref_model.gpt_model.} (the policy, not AR-GRPO's reference copy); empty when none is.
   */
  static Optional<String> covering(Map<String, Integer> coverage, int wanted) {
    String best = null;
    for (Map.Entry<String, Integer> e : coverage.entrySet()) {
      if (!e.getKey().isEmpty() && e.getValue() == wanted && (best == null || e.getKey().length() < best.length())) {
        best = e.getKey();
      }
    }
    return Optional.ofNullable(best);
  }

  /** The non-empty prefix covering the most wanted keys, if it covers more than no prefix does. */
  static Optional<String> mostCovering(Map<String, Integer> coverage) {
    int direct = coverage.getOrDefault("", 0);
    String best = null;
    int bestCount = direct;
    for (Map.Entry<String, Integer> e : coverage.entrySet()) {
      if (!e.getKey().isEmpty() && (e.getValue() > bestCount
          || (best != null && e.getValue() == bestCount && e.getKey().length() < best.length()))) {
        best = e.getKey();
        bestCount = e.getValue();
      }
    }
    return Optional.ofNullable(best);
  }
}
