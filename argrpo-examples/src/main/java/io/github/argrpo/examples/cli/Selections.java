package io.github.argrpo.examples.cli;

import java.util.ArrayList;
import java.util.List;

import io.github.argrpo.core.config.ConfigException;

/** Parses class selections such as {@code 0-9,207,360}. */
final class Selections {

  private Selections() {}

  /** The classes of {@code spec}, or when it is null every class {@code 0 .. count - 1}. */
  static List<Integer> classesOrAll(String spec, String option, int count) {
    if (spec != null) {
      return classes(spec, option);
    }
    List<Integer> all = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      all.add(i);
    }
    return all;
  }

  /** The classes of {@code spec} ({@code a-b} ranges inclusive, comma-separated), in order. */
  static List<Integer> classes(String spec, String option) {
    List<Integer> out = new ArrayList<>();
    for (String part : spec.split(",")) {
      String p = part.trim();
      try {
        int dash = p.indexOf('-', 1);
        if (dash > 0) {
          int a = Integer.parseInt(p.substring(0, dash).trim());
          int b = Integer.parseInt(p.substring(dash + 1).trim());
          if (b < a) {
            throw new ConfigException(option + ": range " + p + " is empty (end before start)");
          }
          for (int i = a; i <= b; i++) {
            out.add(i);
          }
        } else {
          out.add(Integer.parseInt(p));
        }
      } catch (NumberFormatException e) {
        throw new ConfigException(option + " must be class numbers or ranges like 0-9,207; got '" + p + "'");
      }
    }
    return out;
  }
}
