package io.github.argrpo.examples.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.argrpo.core.config.ConfigBinding;
import io.github.argrpo.core.config.ConfigException;

/**
 * Whether {@code train --out DIR} may use a folder that already holds something. A folder with a run
 * ({@code config.yaml}, metrics or checkpoints) is resumed only when its saved resolved config agrees
 * with the new one, key by key; otherwise training stops and names the keys that differ, so a reused
 * folder never silently continues a different experiment (another seed, reward or learning rate).
 * {@code trainer.steps} may differ: running a finished run further is what resuming is for.
 *
 * <ul>
 *   <li>{@link Mode#CHECK} (the default): empty or new folder, or same config: go on; else stop.
 *   <li>{@link Mode#RESUME} ({@code --resume}): go on whatever the saved config says.
 *   <li>{@link Mode#FRESH} ({@code --fresh}): only an empty or new folder.
 * </ul>
 */
public final class RunReuse {

  /** The saved resolved config in a run folder. */
  public static final String SAVED_CONFIG = "config.yaml";

  /** Keys whose change does not make a different experiment. */
  static final Set<String> MAY_DIFFER = Set.of("trainer.steps");

  /** What the user asked for. */
  public enum Mode {
    /** Resume only a run with the same config. */
    CHECK,
    /** Resume whatever the folder holds. */
    RESUME,
    /** Use only an empty or new folder. */
    FRESH
  }

  private RunReuse() {}

  /**
   * Checks {@code out} against the resolved config about to run.
   *
   * @throws ConfigException saying what is in the way and which flag or folder to use instead
   */
  public static void check(Path out, String resolvedYaml, Mode mode) {
    if (!Files.isDirectory(out) || isEmpty(out)) {
      return;
    }
    if (mode == Mode.FRESH) {
      throw new ConfigException("--fresh: " + out + " is not empty; choose a new --out folder or delete this one");
    }
    if (mode == Mode.RESUME) {
      return;
    }
    Path saved = out.resolve(SAVED_CONFIG);
    if (!Files.isRegularFile(saved)) {
      if (Files.exists(out.resolve("metrics.jsonl")) || !isEmpty(out.resolve("checkpoints"))) {
        throw new ConfigException(out + " holds a run without " + SAVED_CONFIG + ", so its config cannot be compared;"
            + " pass --resume to continue it anyway, or choose a new --out folder");
      }
      return;
    }
    List<String> differ = differingKeys(read(saved), resolvedYaml);
    if (!differ.isEmpty()) {
      throw new ConfigException(out + " holds a run with another config (" + String.join("; ", differ) + "); "
          + "choose a new --out folder, or pass --resume to continue that run with the new config");
    }
  }

  /**
   * The keys (dotted paths, list items as {@code [i]}) whose values differ between two resolved configs,
   * each as {@code key: saved -> now}, sorted; keys of {@link #MAY_DIFFER} left out.
   */
  public static List<String> differingKeys(String savedYaml, String currentYaml) {
    Map<String, String> a = flatten(parse(savedYaml, "the saved " + SAVED_CONFIG));
    Map<String, String> b = flatten(parse(currentYaml, "the new config"));
    TreeMap<String, String> out = new TreeMap<>();
    for (String k : union(a, b)) {
      if (!MAY_DIFFER.contains(k) && !Objects.equals(a.get(k), b.get(k))) {
        out.put(k, k + ": " + show(a.get(k)) + " -> " + show(b.get(k)));
      }
    }
    return new ArrayList<>(out.values());
  }

  private static String show(String v) {
    return v == null ? "(absent)" : v;
  }

  private static List<String> union(Map<String, String> a, Map<String, String> b) {
    TreeMap<String, Boolean> keys = new TreeMap<>();
    a.keySet().forEach(k -> keys.put(k, true));
    b.keySet().forEach(k -> keys.put(k, true));
    return new ArrayList<>(keys.keySet());
  }

  private static JsonNode parse(String yaml, String what) {
    return ConfigBinding.parse(yaml, what);
  }

  private static Map<String, String> flatten(JsonNode root) {
    Map<String, String> out = new TreeMap<>();
    flatten("", root, out);
    return out;
  }

  private static void flatten(String prefix, JsonNode n, Map<String, String> out) {
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        flatten(prefix + "[" + i + "]", n.get(i), out);
      }
      if (n.isEmpty()) {
        out.put(prefix, "[]");
      }
    } else {
      out.put(prefix, n.isNull() ? "null" : n.asText());
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static boolean isEmpty(Path dir) {
    if (!Files.isDirectory(dir)) {
      return true;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
