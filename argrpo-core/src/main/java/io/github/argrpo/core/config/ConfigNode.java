package io.github.argrpo.core.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * One mapping of a YAML configuration, read key by key with defaults, which remembers the keys it was
 * asked for so that {@link #finish()} can reject every key nobody read: a misspelt option is an error
 * naming the key, never silently ignored.
 *
 * <pre>{@code
 * ConfigNode root = ConfigNode.load(path);
 * int steps = root.getInt("steps", 100);
 * ConfigNode grpo = root.section("grpo");
 * double beta = grpo.getDouble("beta", 0.1);
 * root.finish();            // throws ConfigException naming e.g. "grpo.betta"
 * }</pre>
 */
public final class ConfigNode {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final ObjectNode node;
  private final String path;
  private final Set<String> read = new LinkedHashSet<>();
  private final List<ConfigNode> children = new ArrayList<>();

  private ConfigNode(ObjectNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /** Parses a YAML (or JSON) file; an empty file is an empty mapping. */
  public static ConfigNode load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("config file " + file + " does not exist or is not a file");
    }
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses YAML text; {@code source} names it in messages. */
  public static ConfigNode parse(String yaml, String source) {
    JsonNode n;
    try {
      n = yaml.isBlank() ? JsonNodeFactory.instance.objectNode() : YAML.readTree(yaml);
    } catch (IOException e) {
      throw new ConfigException("malformed YAML in " + source + ": " + e.getMessage(), e);
    }
    if (n == null || n.isMissingNode() || n.isNull()) {
      n = JsonNodeFactory.instance.objectNode();
    }
    if (!n.isObject()) {
      throw new ConfigException(source + " must hold a mapping of keys to values at the top level");
    }
    return new ConfigNode((ObjectNode) n, "");
  }

  /** An empty configuration (every value takes its default). */
  public static ConfigNode empty() {
    return new ConfigNode(JsonNodeFactory.instance.objectNode(), "");
  }

  /**
   * Applies a command-line override {@code a.b.c=value} (value parsed as YAML scalar: numbers,
   * booleans, strings; {@code [1, 2]} lists) before the node is read.
   */
  public ConfigNode override(String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new ConfigException("override '" + assignment + "' must look like key.path=value");
    }
    String key = assignment.substring(0, eq).trim();
    String value = assignment.substring(eq + 1).trim();
    JsonNode v;
    try {
      v = value.isEmpty() ? JsonNodeFactory.instance.textNode("") : YAML.readTree(value);
    } catch (IOException e) {
      v = JsonNodeFactory.instance.textNode(value);
    }
    String[] parts = key.split("\\.");
    ObjectNode cur = node;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode next = cur.get(parts[i]);
      if (next == null || next.isNull()) {
        next = cur.putObject(parts[i]);
      } else if (!next.isObject()) {
        throw new ConfigException("override '" + assignment + "': " + String.join(".", java.util.Arrays.copyOf(parts, i + 1))
            + " is a value, not a section");
      }
      cur = (ObjectNode) next;
    }
    cur.set(parts[parts.length - 1], v);
    return this;
  }

  private String full(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Whether {@code key} is present (marks it read). */
  public boolean has(String key) {
    read.add(key);
    return node.hasNonNull(key);
  }

  /** The sub-mapping {@code key}, empty if absent. */
  public ConfigNode section(String key) {
    read.add(key);
    JsonNode n = node.get(key);
    ObjectNode o;
    if (n == null || n.isNull()) {
      o = JsonNodeFactory.instance.objectNode();
    } else if (n.isObject()) {
      o = (ObjectNode) n;
    } else {
      throw new ConfigException(full(key) + " must be a section (a mapping of keys), got " + n.getNodeType().toString().toLowerCase());
    }
    ConfigNode c = new ConfigNode(o, full(key));
    children.add(c);
    return c;
  }

  private <T> T value(String key, T dflt, String type, Function<JsonNode, T> conv) {
    read.add(key);
    JsonNode n = node.get(key);
    if (n == null || n.isNull()) {
      return dflt;
    }
    T v;
    try {
      v = conv.apply(n);
    } catch (RuntimeException e) {
      v = null;
    }
    if (v == null) {
      throw new ConfigException(full(key) + " must be " + type + ", got '" + (n.isValueNode() ? n.asText() : n.toString()) + "'");
    }
    return v;
  }

  /** A number. */
  public double getDouble(String key, double dflt) {
    return value(key, dflt, "a number", n -> {
      if (n.isNumber()) {
        return n.asDouble();
      }
      if (n.isTextual()) {
        String t = n.asText().trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals(".nan") || t.equals("nan")) {
          return Double.NaN;
        }
        if (t.equals(".inf") || t.equals("inf")) {
          return Double.POSITIVE_INFINITY;
        }
        if (t.equals("-.inf") || t.equals("-inf")) {
          return Double.NEGATIVE_INFINITY;
        }
        return Double.parseDouble(t);
      }
      return null;
    });
  }

  /** An integer. */
  public int getInt(String key, int dflt) {
    return value(key, dflt, "an integer", n -> n.isIntegralNumber() && n.canConvertToInt() ? n.asInt()
        : n.isTextual() ? Integer.valueOf(n.asText().trim()) : null);
  }

  /** A long integer. */
  public long getLong(String key, long dflt) {
    return value(key, dflt, "an integer", n -> n.isIntegralNumber() ? n.asLong()
        : n.isTextual() ? Long.valueOf(n.asText().trim()) : null);
  }

  /** A boolean ({@code true}/{@code false}). */
  public boolean getBoolean(String key, boolean dflt) {
    return value(key, dflt, "true or false", n -> n.isBoolean() ? n.asBoolean()
        : n.isTextual() && (n.asText().equalsIgnoreCase("true") || n.asText().equalsIgnoreCase("false"))
            ? Boolean.valueOf(n.asText()) : null);
  }

  /** A string. */
  public String getString(String key, String dflt) {
    return value(key, dflt, "a string", n -> n.isValueNode() ? n.asText() : null);
  }

  /** A path (relative paths are kept as written). */
  public Path getPath(String key, Path dflt) {
    String s = getString(key, null);
    return s == null ? dflt : Path.of(s);
  }

  /** A list of strings (a YAML sequence or a single value). */
  public List<String> getStrings(String key, List<String> dflt) {
    return value(key, dflt, "a list of strings", n -> {
      List<String> out = new ArrayList<>();
      if (n.isArray()) {
        for (JsonNode e : n) {
          if (!e.isValueNode()) {
            return null;
          }
          out.add(e.asText());
        }
      } else if (n.isValueNode()) {
        out.add(n.asText());
      } else {
        return null;
      }
      return out;
    });
  }

  /** The raw node of {@code key} (for structures read by another component), marking it read. */
  public JsonNode raw(String key) {
    read.add(key);
    return node.get(key);
  }

  /** Every key at this level, in file order. */
  public List<String> keys() {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /**
   * Throws a {@link ConfigException} listing every key in this node or its read sections that was never
   * read, with the keys that are allowed at that level.
   */
  public void finish() {
    List<String> unknown = new ArrayList<>();
    collectUnknown(unknown);
    if (!unknown.isEmpty()) {
      throw new ConfigException("unknown configuration key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown));
    }
  }

  private void collectUnknown(List<String> out) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!read.contains(k)) {
        out.add("'" + full(k) + "' (allowed here: " + String.join(", ", read) + ")");
      }
    }
    for (ConfigNode c : children) {
      c.collectUnknown(out);
    }
  }

  /** The YAML text of this node. */
  public String toYaml() {
    try {
      return YAML.writeValueAsString(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
