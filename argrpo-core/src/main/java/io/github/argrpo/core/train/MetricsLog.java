package io.github.argrpo.core.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code metrics.jsonl}: one JSON object per step, flushed after each line so a killed run loses at
 * most the step in progress. NaN (JSON has none) is written as {@code null} and read back as NaN.
 */
public final class MetricsLog {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  /** @param file the jsonl file (created on first append) */
  public MetricsLog(Path file) {
    this.file = file;
  }

  /** Appends one record. */
  public void append(StepRecord r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("step", r.step());
    for (Map.Entry<String, Double> e : r.metrics().entrySet()) {
      if (e.getValue() == null || !Double.isFinite(e.getValue())) {
        o.putNull(e.getKey());
      } else {
        o.put(e.getKey(), e.getValue());
      }
    }
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND)) {
      w.write(JSON.writeValueAsString(o));
      w.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
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

  /** Drops records after {@code lastStep} (a resumed run rewrites them). */
  public void truncateAfter(int lastStep) {
    List<StepRecord> keep = new ArrayList<>();
    for (StepRecord r : readAll()) {
      if (r.step() <= lastStep) {
        keep.add(r);
      }
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    keep.forEach(this::append);
  }
}
