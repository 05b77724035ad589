package io.github.argrpo.core.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.argrpo.core.io.TempSiblings;

/**
 * {@code metrics.jsonl}: one JSON object per step, flushed after each line so a killed run loses at
 * most the step in progress. NaN (JSON has none) is written as {@code null} and read back as NaN.
 */
public final class MetricsLog {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Function<StepRecord, String> serializer;

  /** @param file the jsonl file (created on first append) */
  public MetricsLog(Path file) {
    this(file, MetricsLog::toJson);
  }

  /** A log writing records with {@code serializer} (tests inject failures through it). */
  MetricsLog(Path file, Function<StepRecord, String> serializer) {
    this.file = file;
    this.serializer = serializer;
  }

  /** Appends one record. */
  public void append(StepRecord r) {
    String line = serializer.apply(r);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND)) {
      w.write(line);
      w.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
    }
  }

  /** One record as a JSON line (without the line break); NaN and infinities become null. */
  static String toJson(StepRecord r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("step", r.step());
    for (Map.Entry<String, Double> e : r.metrics().entrySet()) {
      if (e.getValue() == null || !Double.isFinite(e.getValue())) {
        o.putNull(e.getKey());
      } else {
        o.put(e.getKey(), e.getValue());
      }
    }
    try {
      return JSON.writeValueAsString(o);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise the metrics of step " + r.step() + ": " + e.getMessage(), e);
    }
  }

  /** Every record in the file, in order (an unreadable last line, from a killed write, is skipped). */
  public List<StepRecord> readAll() {
    List<StepRecord> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (String line : lines) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n;
        try {
          n = JSON.readTree(line);
        } catch (IOException partial) {
          continue;
        }
        Map<String, Double> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!e.getKey().equals("step")) {
            m.put(e.getKey(), e.getValue().isNull() ? Double.NaN : e.getValue().asDouble());
          }
        }
        out.add(new StepRecord(n.get("step").asInt(), m));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Drops records after {@code lastStep} (a resumed run rewrites them). The kept records are written to
   * a sibling file that then replaces the log in one atomic rename, so a failure part-way leaves the
   * old log whole.
   */
  public void truncateAfter(int lastStep) {
    if (!Files.exists(file)) {
      return;
    }
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      tmp = TempSiblings.file(dir, "." + file.getFileName() + ".", ".tmp");
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        for (StepRecord r : readAll()) {
          if (r.step() <= lastStep) {
            w.write(serializer.apply(r));
            w.write('\n');
          }
        }
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite " + file + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the unfinished sibling is hidden and harmless; the log itself is untouched
        }
      }
    }
  }
}
