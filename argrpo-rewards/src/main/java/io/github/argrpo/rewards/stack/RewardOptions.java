package io.github.argrpo.rewards.stack;

import static com.google.common.base.Preconditions.checkArgument;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, checked access to the {@code options} of a {@link RewardSpec}, for providers. Every error names
 * the reward, the option, what was expected and what came.
 *
 * <pre>{@code
 * RewardOptions o = spec.opts();
 * o.requireOnly(Set.of("model", "seed"));
 * Path model = o.existingFile("model");
 * long seed = o.longValue("seed", 0L);
 * }</pre>
 */
public final class RewardOptions {

  private final String reward;
  private final Map<String, Object> values;

  /**
   * @param reward the reward name, for messages
   * @param values option values: String, Number, Boolean or List of those
   */
  public RewardOptions(String reward, Map<String, Object> values) {
    this.reward = reward;
    this.values = Map.copyOf(values);
  }

  /** Rejects any option not in {@code known}, naming it and listing the known ones. */
  public RewardOptions requireOnly(Set<String> known) {
    for (String k : values.keySet()) {
      checkArgument(known.contains(k), "reward '%s': unknown option '%s'; known options: %s", reward, k,
          new TreeSet<>(known));
    }
    return this;
  }

  /** Whether option {@code key} is present. */
  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** A required string. */
  public String string(String key) {
    Object v = values.get(key);
    checkArgument(v != null, "reward '%s': option '%s' is required", reward, key);
    if (v instanceof List) {
      throw wrong(key, "a single value", v);
    }
    String s = v.toString().strip();
    checkArgument(!s.isEmpty(), "reward '%s': option '%s' must not be empty", reward, key);
    return s;
  }

  /** An optional string. */
  public String string(String key, String fallback) {
    return has(key) ? string(key) : fallback;
  }

  /** A required path to an existing regular file. */
  public Path existingFile(String key) {
    Path p = Path.of(string(key));
    checkArgument(Files.isRegularFile(p), "reward '%s': option '%s' names a file that does not exist: %s", reward, key,
        p.toAbsolutePath());
    return p;
  }

  /** An optional double. */
  public double doubleValue(String key, double fallback) {
    if (!has(key)) {
      return fallback;
    }
    Object v = values.get(key);
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(string(key));
    } catch (NumberFormatException e) {
      throw wrong(key, "a number", v);
    }
  }

  /** An optional int. */
  public int intValue(String key, int fallback) {
    long l = longValue(key, fallback);
    if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
      throw wrong(key, "an int", values.get(key));
    }
    return (int) l;
  }

  /** An optional long (integral numbers only). */
  public long longValue(String key, long fallback) {
    if (!has(key)) {
      return fallback;
    }
    Object v = values.get(key);
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof BigInteger) {
      return ((Number) v).longValue();
    }
    try {
      return Long.parseLong(string(key));
    } catch (NumberFormatException e) {
      throw wrong(key, "an integer", v);
    }
  }

  /** An optional boolean ({@code true}/{@code false}). */
  public boolean bool(String key, boolean fallback) {
    if (!has(key)) {
      return fallback;
    }
    Object v = values.get(key);
    if (v instanceof Boolean b) {
      return b;
    }
    String s = string(key).toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    throw wrong(key, "true or false", v);
  }

  /** An optional list of numbers; a single number counts as a list of one. */
  public double[] doubles(String key, double[] fallback) {
    if (!has(key)) {
      return fallback;
    }
    Object v = values.get(key);
    List<?> items = v instanceof List<?> l ? l : List.of(v);
    double[] out = new double[items.size()];
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < out.length; i++) {
      Object x = items.get(i);
      if (x instanceof Number n) {
        out[i] = n.doubleValue();
      } else {
        try {
          out[i] = Double.parseDouble(String.valueOf(x));
        } catch (NumberFormatException e) {
          bad.add(String.valueOf(x));
        }
      }
    }
    if (!bad.isEmpty()) {
      throw wrong(key, "a number or a list of numbers", v);
    }
    return out;
  }

  /** An optional value of a fixed set, matched case-insensitively. */
  public String choice(String key, Set<String> allowed, String fallback) {
    if (!has(key)) {
      return fallback;
    }
    String s = string(key).toLowerCase(Locale.ROOT);
    if (!allowed.contains(s)) {
      throw wrong(key, "one of " + new TreeSet<>(allowed), values.get(key));
    }
    return s;
  }

  private IllegalArgumentException wrong(String key, String expected, Object got) {
    return new IllegalArgumentException("reward '" + reward + "': option '" + key + "' must be " + expected + ", got '"
        + got + "'");
  }
}
