package io.github.argrpo.eval.parity;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A fixture's {@code {rtol, atol}} for one output: the case's {@code tolerance} entry if it has one,
 * else the fixture-wide one, else (for intermediates) the first matching glob of
 * {@code tolerance.intermediates}, where {@code "exact"} means 0/0.
 *
 * @param rtol relative tolerance
 * @param atol absolute tolerance
 */
record Tolerance(double rtol, double atol) {

  static final Tolerance EXACT = new Tolerance(0, 0);

  /** The tolerance of output {@code name} in {@code caseNode} of {@code config}, or null when none is given. */
  static Tolerance of(JsonNode config, JsonNode caseNode, String name) {
    JsonNode own = caseNode.path("tolerance").get(name);
    if (own != null && own.isObject()) {
      return parse(own);
    }
    JsonNode all = config.path("tolerance").get(name);
    if (all != null && all.isObject()) {
      return parse(all);
    }
    JsonNode inter = config.path("tolerance").path("intermediates");
    for (Iterator<Map.Entry<String, JsonNode>> it = inter.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      for (String glob : e.getKey().split(",\\s*")) {
        if (Pattern.matches(glob.replace("*", ".*"), name)) {
          JsonNode v = e.getValue();
          if (v.isObject()) {
            return parse(v);
          }
          if ("exact".equals(v.asText())) {
            return EXACT;
          }
        }
      }
    }
    return null;
  }

  private static Tolerance parse(JsonNode n) {
    return new Tolerance(n.path("rtol").asDouble(0), n.path("atol").asDouble(0));
  }

  /** {@code |a - e| <= atol + rtol * scale}. */
  boolean accepts(double actual, double expected, double scale) {
    return Math.abs(actual - expected) <= atol + rtol * scale;
  }
}
