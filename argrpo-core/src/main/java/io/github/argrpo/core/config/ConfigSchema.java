package io.github.argrpo.core.config;

import static com.google.common.base.Preconditions.checkArgument;

import java.lang.annotation.Annotation;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The options a config record declares, read from its components: the YAML key is the component's
 * {@link JsonProperty} name, the text its {@link JsonPropertyDescription}. A component whose type is a
 * record is a section of its own, one marked {@link JsonUnwrapped} lends its keys to the enclosing
 * section, a {@code List} of records is checked element by element, a {@code Map} is free-form (each
 * reward provider checks its own options), {@link JsonIgnore}d components are not options.
 *
 * <p>This is the one description of a config's layout: {@link ConfigBinding} rejects the keys it does not
 * list, and the option tables in the docs are generated from it ({@link #options(Object)}).
 */
public final class ConfigSchema {

  private static final Map<Class<?>, ConfigSchema> CACHE = new ConcurrentHashMap<>();

  /** One key at one level: a value, a section, a list of sections or a free-form mapping. */
  public record Property(String key, String description, Class<?> type, Type genericType, ConfigSchema section,
      ConfigSchema listElement, boolean freeForm) {

    /** Whether this key holds a plain value (not a section). */
    public boolean isValue() {
      return section == null;
    }
  }

  /** One documented option: its dotted key, a short type, its default and what it does. */
  public record Option(String key, String type, String defaultValue, String description) {
  }

  private final Class<?> type;
  private final List<Property> properties;

  private ConfigSchema(Class<?> type, List<Property> properties) {
    this.type = type;
    this.properties = List.copyOf(properties);
  }

  /** The schema of a record type (cached). */
  public static ConfigSchema of(Class<?> recordType) {
    ConfigSchema s = CACHE.get(recordType);
    if (s == null) {
      s = build(recordType);
      CACHE.put(recordType, s);
    }
    return s;
  }

  private static ConfigSchema build(Class<?> t) {
    checkArgument(t.isRecord(), "%s is not a record; config schemas are read from record components", t.getName());
    List<Property> props = new ArrayList<>();
    for (RecordComponent c : t.getRecordComponents()) {
      if (annotation(c, JsonIgnore.class) != null) {
        continue;
      }
      Class<?> ct = c.getType();
      if (annotation(c, JsonUnwrapped.class) != null) {
        props.addAll(of(ct).properties);
        continue;
      }
      JsonProperty jp = annotation(c, JsonProperty.class);
      String key = jp != null && !jp.value().isEmpty() ? jp.value() : c.getName();
      JsonPropertyDescription d = annotation(c, JsonPropertyDescription.class);
      String description = d == null ? "" : d.value();
      ConfigSchema section = ct.isRecord() ? of(ct) : null;
      ConfigSchema element = null;
      if (List.class.isAssignableFrom(ct) && c.getGenericType() instanceof ParameterizedType p
          && p.getActualTypeArguments()[0] instanceof Class<?> e && e.isRecord()) {
        element = of(e);
      }
      props.add(new Property(key, description, ct, c.getGenericType(), section, element, Map.class.isAssignableFrom(ct)));
    }
    return new ConfigSchema(t, props);
  }

  /**
   * A Jackson annotation written on a record component. Jackson's annotations do not target record
   * components, so Java keeps them on the accessor (and field, parameter), not on the component itself.
   */
  private static <A extends Annotation> A annotation(RecordComponent c, Class<A> type) {
    A a = c.getAccessor().getAnnotation(type);
    if (a == null) {
      try {
        a = c.getDeclaringRecord().getDeclaredField(c.getName()).getAnnotation(type);
      } catch (NoSuchFieldException e) {
        throw new IllegalStateException("record " + c.getDeclaringRecord().getName() + " has no field " + c.getName(), e);
      }
    }
    return a;
  }

  /** The record type. */
  public Class<?> type() {
    return type;
  }

  /** The keys of this level, in declaration order (unwrapped records' keys in place). */
  public List<Property> properties() {
    return properties;
  }

  /** The keys allowed at this level. */
  public List<String> keys() {
    return properties.stream().map(Property::key).toList();
  }

  /**
   * Adds to {@code out} a message for every key of {@code node} (and of its sections) this schema does not
   * declare, each with the keys allowed at that level.
   *
   * @param path the dotted key of {@code node}, empty at the top
   */
  public void unknownKeys(JsonNode node, String path, List<String> out) {
    if (node == null || !node.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String full = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      Property p = property(e.getKey());
      if (p == null) {
        out.add("'" + full + "' (allowed here: " + String.join(", ", keys()) + ")");
      } else if (p.section() != null) {
        p.section().unknownKeys(e.getValue(), full, out);
      } else if (p.listElement() != null && e.getValue().isArray()) {
        for (int i = 0; i < e.getValue().size(); i++) {
          p.listElement().unknownKeys(e.getValue().get(i), full + "[" + i + "]", out);
        }
      }
    }
  }

  /** The property of {@code key} at this level, or null. */
  public Property property(String key) {
    for (Property p : properties) {
      if (p.key().equals(key)) {
        return p;
      }
    }
    return null;
  }

  /**
   * Every option below this level with its default taken from {@code preset} (a value of this schema's
   * type, possibly null for "no preset"), in declaration order, sections flattened to dotted keys.
   */
  public List<Option> options(Object preset) {
    List<Option> out = new ArrayList<>();
    collect(preset == null ? null : ConfigBinding.toTree(preset), "", out);
    return out;
  }

  private void collect(JsonNode defaults, String path, List<Option> out) {
    for (Property p : properties) {
      String key = path.isEmpty() ? p.key() : path + "." + p.key();
      JsonNode d = defaults == null ? null : defaults.get(p.key());
      if (p.section() != null) {
        p.section().collect(d, key, out);
      } else {
        out.add(new Option(key, typeName(p), defaultText(d), p.description()));
        if (p.listElement() != null) {
          p.listElement().collect(null, key + "[]", out);
        }
      }
    }
  }

  private static String defaultText(JsonNode d) {
    if (d == null || d.isNull() || d.isMissingNode()) {
      return "";
    }
    if (d.isTextual()) {
      return d.asText();
    }
    if (d.isContainerNode() && d.isEmpty()) {
      return d.isArray() ? "[]" : "{}";
    }
    return d.toString();
  }

  /** A short name of a value's type for messages and docs: number, integer, true/false, one of ..., ... */
  static String typeName(Property p) {
    Class<?> t = p.type();
    if (p.listElement() != null) {
      return "list of entries";
    }
    if (List.class.isAssignableFrom(t)) {
      if (p.genericType() instanceof ParameterizedType pt && pt.getActualTypeArguments()[0] instanceof Class<?> e) {
        return "list of " + plural(e);
      }
      return "list";
    }
    if (p.freeForm()) {
      return "mapping";
    }
    return valueTypeName(t);
  }

  /** The type word of a plain value type. */
  static String valueTypeName(Class<?> t) {
    if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
      return "number";
    }
    if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
      return "integer";
    }
    if (t == boolean.class || t == Boolean.class) {
      return "true/false";
    }
    if (t.isEnum()) {
      return String.join(" \\| ", enumNames(t));
    }
    return "string";
  }

  private static String plural(Class<?> e) {
    String s = valueTypeName(e);
    return s.equals("true/false") ? "booleans" : s + "s";
  }

  /** The YAML spellings of an enum's constants (lower case). */
  static List<String> enumNames(Class<?> enumType) {
    List<String> out = new ArrayList<>();
    for (Object c : enumType.getEnumConstants()) {
      out.add(((Enum<?>) c).name().toLowerCase(Locale.ROOT));
    }
    return out;
  }
}
