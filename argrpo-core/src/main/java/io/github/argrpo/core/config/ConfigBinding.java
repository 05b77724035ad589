package io.github.argrpo.core.config;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Binds YAML to config records and writes them back, with one set of rules: the record components
 * declare the keys ({@link ConfigSchema}), a preset supplies every default, and the record's own
 * constructor validates.
 *
 * <pre>{@code
 * ObjectNode yaml = ConfigBinding.parse(text, "run.yaml");       // strict YAML, a mapping at the top
 * ConfigBinding.override(yaml, "trainer.grpo.beta=0.05");        // --set, before binding
 * TrainerConfig t = ConfigBinding.bind(yaml.get("trainer"), TrainerConfig.class,
 *     TrainerConfig.arGrpoPaper(), "trainer");                    // preset merged, then bound
 * String resolved = ConfigBinding.toYaml(t);                      // the same layout, every key explicit
 * }</pre>
 *
 * <p>Binding is: the preset written as a tree, the user's tree merged over it (mappings key by key,
 * anything else replaced; an explicit {@code null} keeps the preset's value), every key the schema does
 * not declare rejected (all of them listed, each with the keys allowed where it stands), then Jackson
 * builds the records through their canonical constructors, so every check a constructor makes applies
 * to YAML too. Failures are {@link ConfigException}s naming the dotted key.
 *
 * <p>Value rules: enums are written in lower case and read in any case ({@code dr-grpo} = {@code dr_grpo});
 * doubles are written {@code nan}, {@code inf}, {@code -inf} when not finite and read so in any case (YAML's
 * own {@code .nan} / {@code .inf} fail in Jackson's YAML parser before any binding: the message says what
 * to write instead); a fractional number is not an integer.
 */
public final class ConfigBinding {

  private static final ObjectMapper YAML = yamlMapper();
  private static final ObjectMapper TREE = configure(JsonMapper.builder().build());

  private ConfigBinding() {
  }

  private static ObjectMapper yamlMapper() {
    YAMLMapper m = YAMLMapper.builder(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // a string such as "1.0" or "true" stays a string when read back
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build())
        .build();
    return configure(m);
  }

  private static ObjectMapper configure(ObjectMapper m) {
    SimpleModule values = new SimpleModule("argrpo-config-values");
    values.addSerializer(Double.class, new DoubleWriter());
    values.addSerializer(double.class, new DoubleWriter());
    values.addDeserializer(Double.class, new DoubleReader(null));
    values.addDeserializer(double.class, new DoubleReader(0.0));
    @SuppressWarnings({"rawtypes", "unchecked"})
    StdSerializer<Enum> enums = new StdSerializer<>(Enum.class) {
      @Override
      public void serialize(Enum value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeString(value.name().toLowerCase(Locale.ROOT));
      }
    };
    values.addSerializer(Enum.class, enums);
    values.setDeserializerModifier(new BeanDeserializerModifier() {
      @Override
      public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type, BeanDescription beanDesc,
          JsonDeserializer<?> deserializer) {
        return new EnumReader(type.getRawClass());
      }
    });
    m.registerModule(values);
    m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    // a key no preset fills (and @JsonIgnore'd components) reach the constructor as 0 / false; records bound
    // without a preset use boxed types and check for null themselves
    m.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    // the schema check reports unknown keys (all of them, with the allowed ones); Jackson's own check
    // would stop at the first and is skipped for unwrapped records
    m.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    m.setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
    return m;
  }

  /** Parses YAML (or JSON) text; an empty document is an empty mapping. {@code source} names it in messages. */
  public static ObjectNode parse(String yaml, String source) {
    JsonNode n;
    try {
      n = yaml.isBlank() ? null : YAML.readTree(yaml);
    } catch (IOException e) {
      String m = e.getMessage();
      // SnakeYAML resolves .nan/.inf as floats, which Jackson's YAML parser then cannot convert
      String hint = m != null && m.matches("(?s).*Malformed numeric value '[-+]?\\.(nan|NaN|NAN|inf|Inf|INF)'.*")
          ? " (write nan, inf or -inf: the YAML reader does not take .nan / .inf)" : "";
      throw new ConfigException("malformed YAML in " + source + ": " + m + hint, e);
    }
    if (n == null || n.isMissingNode() || n.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!n.isObject()) {
      throw new ConfigException(source + " must hold a mapping of keys to values at the top level");
    }
    return (ObjectNode) n;
  }

  /** Reads and parses a YAML file. */
  public static ObjectNode read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("config file " + file + " does not exist or is not a file");
    }
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Applies a command-line override {@code a.b.c=value} to {@code root} in place; the value is read as a
   * YAML scalar or flow collection ({@code 3}, {@code true}, {@code [1, 2]}, {@code {k: v}}), text otherwise.
   */
  public static ObjectNode override(ObjectNode root, String assignment) {
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
    ObjectNode cur = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode next = cur.get(parts[i]);
      if (next == null || next.isNull()) {
        next = cur.putObject(parts[i]);
      } else if (!next.isObject()) {
        throw new ConfigException("override '" + assignment + "': " + String.join(".", Arrays.copyOf(parts, i + 1))
            + " is a value, not a section");
      }
      cur = (ObjectNode) next;
    }
    cur.set(parts[parts.length - 1], v);
    return root;
  }

  /**
   * Binds {@code node} over {@code preset}: the preset's values where the node is silent. Unknown keys
   * and invalid values are {@link ConfigException}s naming {@code path}-prefixed keys.
   *
   * @param node the user's mapping (null or missing = the preset unchanged)
   * @param type the config record type
   * @param preset the defaults (a value of {@code type}); null when every required value must be given
   * @param path the dotted key of {@code node} in its file, for messages; empty at the top
   */
  public static <T> T bind(JsonNode node, Class<T> type, T preset, String path) {
    if (node != null && !node.isNull() && !node.isMissingNode() && !node.isObject()) {
      throw new ConfigException((path.isEmpty() ? "the config" : path) + " must be a section (a mapping of keys), got "
          + node.getNodeType().toString().toLowerCase(Locale.ROOT));
    }
    List<String> unknown = new ArrayList<>();
    ConfigSchema.of(type).unknownKeys(node, path, unknown);
    if (!unknown.isEmpty()) {
      throw new ConfigException("unknown configuration key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown));
    }
    ObjectNode merged = preset == null ? JsonNodeFactory.instance.objectNode() : toTree(preset);
    if (node != null && node.isObject()) {
      merge(merged, (ObjectNode) node);
    }
    try {
      return TREE.treeToValue(merged, type);
    } catch (JsonProcessingException e) {
      throw translate(e, merged, path);
    } catch (IllegalArgumentException e) {
      if (e.getCause() instanceof JsonProcessingException j) {
        throw translate(j, merged, path);
      }
      throw e;
    }
  }

  /** Deep merge: mappings key by key, anything else replaced; null keeps the base value. */
  private static void merge(ObjectNode base, ObjectNode over) {
    for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v == null || v.isNull()) {
        continue;
      }
      JsonNode b = base.get(e.getKey());
      if (b != null && b.isObject() && v.isObject()) {
        merge((ObjectNode) b, (ObjectNode) v);
      } else {
        base.set(e.getKey(), v.deepCopy());
      }
    }
  }

  private static ConfigException translate(JsonProcessingException e, JsonNode merged, String path) {
    String key = path;
    JsonNode at = merged;
    if (e instanceof JsonMappingException m) {
      for (JsonMappingException.Reference r : m.getPath()) {
        String part = r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]";
        key = key.isEmpty() || part.startsWith("[") ? key + part : key + "." + part;
        at = at == null ? null : r.getFieldName() != null ? at.get(r.getFieldName()) : at.get(r.getIndex());
      }
    }
    if (e instanceof ValueInstantiationException v) {
      Throwable cause = v.getCause() != null ? v.getCause() : v;
      String msg = cause.getMessage();
      return new ConfigException(key.isEmpty() ? msg : key + ": " + msg, cause);
    }
    if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
      Class<?> t = mi.getTargetType();
      String expected = t.isEnum() ? "one of " + String.join(", ", ConfigSchema.enumNames(t))
          : t.isRecord() ? "a section (a mapping of keys)"
          // Jackson's YAML reader hands over an alias of a mapping (*name) as its name, a string
          : Map.class.isAssignableFrom(t) ? "a mapping (YAML anchors and aliases such as *name are not supported "
              + "for mappings: repeat the keys)"
          : List.class.isAssignableFrom(t) ? "a list" : aOrAn(ConfigSchema.valueTypeName(t));
      Object got = mi instanceof InvalidFormatException f && f.getValue() != null ? f.getValue()
          : at == null ? "" : at.isValueNode() ? at.asText() : at.toString();
      return new ConfigException(key + " must be " + expected + ", got '" + got + "'", e);
    }
    return new ConfigException((key.isEmpty() ? "" : key + ": ") + e.getOriginalMessage(), e);
  }

  private static String aOrAn(String typeWord) {
    return switch (typeWord) {
      case "integer" -> "an integer";
      case "true/false" -> "true or false";
      default -> "a " + typeWord;
    };
  }

  /** A config record (or any value) as a tree in the layout {@link #bind} reads. */
  public static ObjectNode toTree(Object value) {
    JsonNode n = TREE.valueToTree(value);
    checkArgument(n.isObject(), "%s is not written as a mapping", value.getClass().getName());
    return (ObjectNode) n;
  }

  /** A config record as YAML in the layout {@link #bind} reads; non-finite doubles as nan/inf. */
  public static String toYaml(Object value) {
    try {
      return YAML.writeValueAsString(value instanceof JsonNode ? value : toTree(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write config as YAML: " + e.getMessage(), e);
    }
  }

  /** Writes non-finite doubles as the words the reader takes back. */
  private static final class DoubleWriter extends StdSerializer<Double> {
    DoubleWriter() {
      super(Double.class);
    }

    @Override
    public void serialize(Double v, JsonGenerator gen, SerializerProvider provider) throws IOException {
      if (v.isNaN()) {
        gen.writeString("nan");
      } else if (v.isInfinite()) {
        gen.writeString(v > 0 ? "inf" : "-inf");
      } else {
        gen.writeNumber(v);
      }
    }
  }

  /** Numbers, and nan / .nan / inf / .inf / -inf / -.inf in any case. */
  private static final class DoubleReader extends JsonDeserializer<Double> {
    private final Double nullValue;

    DoubleReader(Double nullValue) {
      this.nullValue = nullValue;
    }

    @Override
    public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
        return p.getDoubleValue();
      }
      if (t == JsonToken.VALUE_STRING) {
        String s = p.getText().trim().toLowerCase(Locale.ROOT);
        switch (s) {
          case "nan", ".nan" -> {
            return Double.NaN;
          }
          case "inf", ".inf", "+inf", "+.inf", "infinity" -> {
            return Double.POSITIVE_INFINITY;
          }
          case "-inf", "-.inf", "-infinity" -> {
            return Double.NEGATIVE_INFINITY;
          }
          default -> {
            try {
              return Double.parseDouble(s);
            } catch (NumberFormatException e) {
              return (Double) ctxt.handleWeirdStringValue(Double.class, p.getText(), "not a number");
            }
          }
        }
      }
      return (Double) ctxt.handleUnexpectedToken(Double.class, p);
    }

    @Override
    public Double getNullValue(DeserializationContext ctxt) {
      return nullValue;
    }
  }

  /** Enum constants by name in any case, {@code -} for {@code _}. */
  private static final class EnumReader extends JsonDeserializer<Object> {
    private final Class<?> type;

    EnumReader(Class<?> type) {
      this.type = type;
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return ctxt.handleUnexpectedToken(type, p);
      }
      String want = p.getText().trim().toUpperCase(Locale.ROOT).replace('-', '_');
      for (Object c : type.getEnumConstants()) {
        if (((Enum<?>) c).name().equals(want)) {
          return c;
        }
      }
      return ctxt.handleWeirdStringValue(type, p.getText(), "not one of the allowed values");
    }
  }
}
