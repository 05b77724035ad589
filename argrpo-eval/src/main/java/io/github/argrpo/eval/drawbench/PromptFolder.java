package io.github.argrpo.eval.drawbench;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A folder of generated images with its {@code prompts.jsonl}, as {@code argrpo export drawbench}
 * writes it: one line {@code {"index": i, "prompt": "...", "samples": ["00000/samples/0000.png", ...]}}
 * per prompt, sample paths relative to the folder.
 *
 * <pre>{@code
 * PromptFolder f = PromptFolder.read(Path.of("out/drawbench"));
 * for (PromptFolder.Sample s : f.samples()) { ... s.image() ... s.prompt() ... }
 * }</pre>
 *
 * @param root the folder
 * @param samples every image, in file order (prompt by prompt)
 */
public record PromptFolder(Path root, List<Sample> samples) {

  /** The index file's name. */
  public static final String INDEX = "prompts.jsonl";

  /**
   * One image and its prompt.
   *
   * @param promptIndex the prompt's {@code index}
   * @param prompt the prompt text
   * @param relative the image path as written in the index (relative to the folder)
   * @param image the resolved image path
   */
  public record Sample(int promptIndex, String prompt, String relative, Path image) {}

  public PromptFolder {
    samples = List.copyOf(samples);
  }

  /**
   * Reads {@code root/prompts.jsonl}.
   *
   * @throws IllegalArgumentException if the index is missing or malformed, or names an image that does
   *     not exist; the message names the file and line
   */
  public static PromptFolder read(Path root) {
    Path index = root.resolve(INDEX);
    checkArgument(Files.isRegularFile(index),
        "no %s in %s; point at a folder written by 'argrpo export drawbench' (or one with the same index)", INDEX,
        root.toAbsolutePath());
    List<String> lines;
    try {
      lines = Files.readAllLines(index, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + index + ": " + e.getMessage(), e);
    }
    ObjectMapper json = new ObjectMapper();
    List<Sample> out = new ArrayList<>();
    for (int ln = 0; ln < lines.size(); ln++) {
      String line = lines.get(ln).strip();
      if (line.isEmpty()) {
        continue;
      }
      String where = index + " line " + (ln + 1);
      JsonNode e;
      try {
        e = json.readTree(line);
      } catch (IOException ex) {
        throw new IllegalArgumentException(where + " is not JSON: " + ex.getMessage(), ex);
      }
      checkArgument(e.path("prompt").isTextual() && e.path("samples").isArray() && e.path("index").canConvertToInt(),
          "%s needs {\"index\": int, \"prompt\": text, \"samples\": [paths]}, got %s", where, line);
      for (JsonNode s : e.get("samples")) {
        Path p = root.resolve(s.asText());
        checkArgument(Files.isRegularFile(p), "%s names image %s, which does not exist in %s", where, s.asText(), root);
        out.add(new Sample(e.get("index").asInt(), e.get("prompt").asText(), s.asText(), p));
      }
    }
    checkArgument(!out.isEmpty(), "%s lists no images", index);
    return new PromptFolder(root, out);
  }
}
