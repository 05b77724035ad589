package io.github.argrpo.examples.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.argrpo.core.config.ConfigException;

/**
 * Reads a prompt set: a {@code .txt} file with one prompt per non-blank line (DrawBench), a
 * {@code .jsonl} file with one JSON object per line holding {@code prompt} (GenEval metadata),
 * {@code text} or {@code caption}, or AR-GRPO's {@code conversations[0].value}; or a {@code .json}
 * array of such objects (AR-GRPO's {@code coco_captions_30000.json}).
 *
 * <pre>{@code
 * List<String> prompts = PromptFile.read(Path.of("../shared/data/drawbench_prompts.txt"));
 * }</pre>
 */
public final class PromptFile {

  private static final ObjectMapper JSON = new ObjectMapper();

  private PromptFile() {}

  /**
   * The prompts of {@code file}, in file order (duplicates kept).
   *
   * @throws ConfigException if the file is missing, empty or a line holds no prompt (the message names
   *     the file and line)
   */
  public static List<String> read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("prompt file " + file + " does not exist");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("cannot read prompt file " + file + ": " + e.getMessage(), e);
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    if (name.endsWith(".jsonl")) {
      for (int i = 0; i < lines.size(); i++) {
        if (!lines.get(i).isBlank()) {
          out.add(promptOf(parse(lines.get(i), file, i + 1), file, i + 1));
        }
      }
    } else if (name.endsWith(".json")) {
      JsonNode all = parse(String.join("\n", lines), file, 1);
      if (!all.isArray()) {
        throw new ConfigException(file + ": expected a JSON array of prompt objects");
      }
      for (int i = 0; i < all.size(); i++) {
        out.add(promptOf(all.get(i), file, i + 1));
      }
    } else {
      for (String l : lines) {
        if (!l.isBlank()) {
          out.add(l.strip());
        }
      }
    }
    if (out.isEmpty()) {
      throw new ConfigException("prompt file " + file + " holds no prompt");
    }
    return out;
  }

  /** The JSON objects of a {@code .jsonl} file, verbatim (GenEval metadata lines), blank lines skipped. */
  public static List<JsonNode> readJsonLines(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("metadata file " + file + " does not exist");
    }
    List<JsonNode> out = new ArrayList<>();
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (!lines.get(i).isBlank()) {
          JsonNode n = parse(lines.get(i), file, i + 1);
          promptOf(n, file, i + 1);
          out.add(n);
        }
      }
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new ConfigException("metadata file " + file + " holds no prompt");
    }
    return out;
  }

  private static JsonNode parse(String text, Path file, int line) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ConfigException(file + " line " + line + ": not valid JSON (" + e.getOriginalMessage() + ")");
    }
  }

  /** The prompt of one JSON entry. */
  public static String promptOf(JsonNode n, Path file, int line) {
    if (n.isTextual() && !n.asText().isBlank()) {
      return n.asText();
    }
    for (String k : List.of("prompt", "text", "caption")) {
      if (n.hasNonNull(k) && n.get(k).isTextual() && !n.get(k).asText().isBlank()) {
        return n.get(k).asText();
      }
    }
    JsonNode conv = n.path("conversations").path(0).path("value");
    if (conv.isTextual() && !conv.asText().isBlank()) {
      return conv.asText();
    }
    throw new ConfigException(file + " line " + line + ": expected a prompt in 'prompt', 'text', 'caption' or "
        + "'conversations[0].value'");
  }
}
