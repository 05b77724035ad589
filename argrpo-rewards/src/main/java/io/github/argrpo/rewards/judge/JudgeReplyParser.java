package io.github.argrpo.rewards.judge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads the score out of a judge reply, as leniently as AR-GRPO's fence regex + {@code json_repair}
 * does, without guessing wildly.
 *
 * <p>Order of attempts, on the content of the first {@code ```json} (or plain {@code ```}) fence if
 * there is one (an unclosed fence runs to the end), then on the whole reply:
 *
 * <ol>
 *   <li>a JSON object from the first {@code '{'} to a matching {@code '}'}, parsed leniently (single
 *       quotes, trailing commas, unquoted keys, comments, raw newlines in strings): the first
 *       {@code score} key, case-insensitive, searched depth-first; a number or a numeric string;
 *   <li>a quoted key in broken JSON, e.g. a reply cut off by {@code max_tokens} after
 *       {@code "score": 3.5,} ({@code "score": 4} or {@code 'score': 4});
 *   <li>an unquoted {@code score: 4}, {@code score = 4} or {@code score is 4} in prose;
 *   <li>a bare number, possibly quoted or followed by a period ({@code 4}, {@code "1"}, {@code 3.5.}).
 * </ol>
 *
 * <p>Non-finite values are not scores. Range checks belong to the caller ({@link VlmJudgeReward} knows
 * the question). Stateless and thread-safe.
 *
 * <pre>{@code
 * OptionalDouble s = JudgeReplyParser.parse("```json\n{\"score\": 3.5,}\n```");   // 3.5
 * }</pre>
 */
public final class JudgeReplyParser {

  private static final Pattern FENCE = Pattern.compile("```(?:json|JSON)?[ \\t]*\\r?\\n?(.*?)(?:```|\\z)", Pattern.DOTALL);
  private static final String NUMBER = "([-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?)";
  private static final Pattern QUOTED_KEY =
      Pattern.compile("[\"']score[\"']\\s*:\\s*[\"']?\\s*" + NUMBER, Pattern.CASE_INSENSITIVE);
  private static final Pattern PROSE_KEY =
      Pattern.compile("\\bscore\\b\\s*(?::|=|\\bis\\b)\\s*[\"'*]*\\s*" + NUMBER, Pattern.CASE_INSENSITIVE);
  private static final Pattern LEADING = Pattern.compile("^\\s*" + NUMBER);
  private static final Pattern BARE = Pattern.compile("[\"'`*\\s]*" + NUMBER + "[\"'`*\\s.]*");

  private static final JsonMapper LENIENT = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
      .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
      .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
      .enable(JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
      .enable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
      .enable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
      .enable(JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS)
      .build();

  private JudgeReplyParser() {}

  /** The score in {@code reply}, or empty when none can be read (null and blank replies included). */
  public static OptionalDouble parse(String reply) {
    if (reply == null || reply.isBlank()) {
      return OptionalDouble.empty();
    }
    List<String> candidates = new ArrayList<>(2);
    Matcher fence = FENCE.matcher(reply);
    if (fence.find() && !fence.group(1).isBlank()) {
      candidates.add(fence.group(1));
    }
    candidates.add(reply);
    for (String c : candidates) {
      OptionalDouble v = fromJson(c);
      if (v.isEmpty()) {
        v = fromPattern(QUOTED_KEY, c);
      }
      if (v.isEmpty()) {
        v = fromPattern(PROSE_KEY, c);
      }
      if (v.isEmpty()) {
        v = bare(c);
      }
      if (v.isPresent()) {
        return v;
      }
    }
    return OptionalDouble.empty();
  }

  /** Tries every {@code '}'} from the last backwards as the end of the object starting at the first {@code '{'}. */
  private static OptionalDouble fromJson(String s) {
    int start = s.indexOf('{');
    if (start < 0) {
      return OptionalDouble.empty();
    }
    int tries = 0;
    for (int end = s.lastIndexOf('}'); end > start && tries < 8; end = s.lastIndexOf('}', end - 1), tries++) {
      try {
        JsonNode node = LENIENT.readTree(s.substring(start, end + 1));
        OptionalDouble v = findScore(node);
        if (v.isPresent()) {
          return v;
        }
        // parsed but no usable score: a shorter object will not have one either
        return OptionalDouble.empty();
      } catch (JsonProcessingException e) {
        // not this '}'; try an earlier one
      }
    }
    return OptionalDouble.empty();
  }

  private static OptionalDouble findScore(JsonNode node) {
    if (node == null) {
      return OptionalDouble.empty();
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (e.getKey().trim().equalsIgnoreCase("score")) {
          OptionalDouble v = numeric(e.getValue());
          if (v.isPresent()) {
            return v;
          }
        }
      }
      for (JsonNode child : node) {
        OptionalDouble v = findScore(child);
        if (v.isPresent()) {
          return v;
        }
      }
    } else if (node.isArray()) {
      for (JsonNode child : node) {
        OptionalDouble v = findScore(child);
        if (v.isPresent()) {
          return v;
        }
      }
    }
    return OptionalDouble.empty();
  }

  private static OptionalDouble numeric(JsonNode v) {
    if (v.isNumber()) {
      return finite(v.asDouble());
    }
    if (v.isTextual()) {
      Matcher m = BARE.matcher(v.asText());
      if (m.matches()) {
        return toDouble(m.group(1));
      }
      Matcher lead = LEADING.matcher(v.asText());
      if (lead.find()) {
        return toDouble(lead.group(1)); // "3.5/5", "4 points"
      }
    }
    return OptionalDouble.empty();
  }

  private static OptionalDouble fromPattern(Pattern p, String s) {
    Matcher m = p.matcher(s);
    return m.find() ? toDouble(m.group(1)) : OptionalDouble.empty();
  }

  private static OptionalDouble bare(String s) {
    Matcher m = BARE.matcher(s);
    return m.matches() ? toDouble(m.group(1)) : OptionalDouble.empty();
  }

  private static OptionalDouble toDouble(String s) {
    try {
      return finite(Double.parseDouble(s));
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }

  private static OptionalDouble finite(double d) {
    return Double.isFinite(d) ? OptionalDouble.of(d) : OptionalDouble.empty();
  }
}
