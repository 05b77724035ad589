package io.github.argrpo.rewards.judge;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The three judge prompts of AR-GRPO (quality/label, AI-generated, strange feature).
 *
 * <p><b>JSON</b> (a file ending in {@code .json}, as {@code vlm_judge_prompts.json}): an object with the
 * string members {@code quality}, {@code fake} and {@code weird}, taken exactly as written (line breaks,
 * leading and trailing newlines included); members whose name starts with {@code _} (such as
 * {@code _source}) are comments. This is the reference form: it holds the strings AR-GRPO's code sends.
 *
 * <p><b>Text</b> (any other file name, as {@code vlm_judge_prompts.txt}, for people who edit prompts):
 * the three prompts in {@link JudgeQuestion} order,
 * separated by at least two empty lines (a prompt itself may contain single empty lines). Leading and
 * trailing empty lines of each prompt are dropped. The quality prompt must contain the placeholder
 * {@code {}}, where the generation prompt goes.
 *
 * <p>Substitution as the reference: only the first {@code {}} is replaced, literally, by the subject
 * (AR-GRPO formats only the head of the prompt with Python's {@code str.format} and appends the JSON
 * rules unformatted, so their braces stay as they are). The literal {@code <image>} marker stays in the
 * text; the real image travels as a separate {@code image_url} part.
 *
 * <p>The text form cannot hold everything the JSON holds (a prompt's leading or trailing empty lines, two
 * consecutive empty lines inside one), so {@code vlm_judge_prompts.txt} differs from the strings sent in
 * training: use the JSON file to reproduce the paper.
 *
 * <pre>{@code
 * JudgePrompts prompts = JudgePrompts.load(Path.of("vlm_judge_prompts.json"));
 * String text = prompts.render(JudgeQuestion.QUALITY, "a photo of tench, Tinca tinca");
 * }</pre>
 *
 * @param quality the label/quality prompt, with one {@code {}}
 * @param fake the AI-generated prompt
 * @param weird the strange-feature prompt
 */
public record JudgePrompts(String quality, String fake, String weird) {

  /** The placeholder for the generation prompt in {@link #quality()}. */
  public static final String PLACEHOLDER = "{}";

  /** The members of the JSON form, in {@link JudgeQuestion} order. */
  private static final List<String> JSON_KEYS = List.of("quality", "fake", "weird");
  private static final ObjectMapper JSON = new ObjectMapper();

  public JudgePrompts {
    checkArgument(quality != null && fake != null && weird != null && !quality.isBlank() && !fake.isBlank()
            && !weird.isBlank(),
        "all three judge prompts (quality, fake, weird) must be non-empty");
    checkArgument(quality.contains(PLACEHOLDER),
        "the quality prompt must contain the placeholder {} for the generation prompt; it starts with: %s",
        excerpt(quality));
  }

  /** Reads the prompts file described in the class comment: JSON when its name ends in {@code .json}, else text. */
  public static JudgePrompts load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("judge prompts file not found: " + file.toAbsolutePath(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read judge prompts file " + file + ": " + e.getMessage(), e);
    }
    try {
      return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") ? parseJson(text) : parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Parses the JSON form described in the class comment. */
  public static JudgePrompts parseJson(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("judge prompts are not valid JSON: " + e.getOriginalMessage(), e);
    }
    checkArgument(root != null && root.isObject(),
        "judge prompts JSON must be an object with the members %s", JSON_KEYS);
    Iterator<String> names = root.fieldNames();
    while (names.hasNext()) {
      String k = names.next();
      checkArgument(!(!k.startsWith("_") && !JSON_KEYS.contains(k)),
          "unknown judge prompts member '%s'; expected %s (members starting with '_' are comments)", k, JSON_KEYS);
    }
    String[] texts = new String[JSON_KEYS.size()];
    for (int i = 0; i < texts.length; i++) {
      JsonNode v = root.get(JSON_KEYS.get(i));
      checkArgument(v != null && v.isTextual(), "judge prompts JSON needs the string member '%s'",
          JSON_KEYS.get(i));
      texts[i] = v.asText();
    }
    return new JudgePrompts(texts[0], texts[1], texts[2]);
  }

  /** Parses the text form described in the class comment. */
  public static JudgePrompts parse(String text) {
    String[] lines = text.replace("\r\n", "\n").split("\n", -1);
    List<String> blocks = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int blank = 0;
    for (String line : lines) {
      if (line.isBlank()) {
        blank++;
        continue;
      }
      if (blank >= 2 && current.length() > 0) {
        blocks.add(current.toString());
        current.setLength(0);
      } else if (current.length() > 0) {
        current.append("\n".repeat(blank));
      }
      blank = 0;
      if (current.length() > 0) {
        current.append('\n');
      }
      current.append(line);
    }
    if (current.length() > 0) {
      blocks.add(current.toString());
    }
    checkArgument(blocks.size() == 3,
        "expected 3 judge prompts (quality, fake, weird) separated by two or more empty lines, found %s",
        blocks.size());
    return new JudgePrompts(blocks.get(0), blocks.get(1), blocks.get(2));
  }

  /** The prompt of {@code question}. */
  public String template(JudgeQuestion question) {
    return switch (question) {
      case QUALITY -> quality;
      case FAKE -> fake;
      case WEIRD -> weird;
    };
  }

  /**
   * The text sent for {@code question}. {@code subject} (the generation prompt, or "a photo of" + class
   * names) is required for {@link JudgeQuestion#QUALITY} and ignored by the other two.
   */
  public String render(JudgeQuestion question, String subject) {
    if (!question.usesSubject()) {
      return template(question);
    }
    checkArgument(subject != null && !subject.isBlank(),
        "the %s judge prompt needs a non-empty generation prompt, got '%s'", question, subject);
    int at = quality.indexOf(PLACEHOLDER);
    return quality.substring(0, at) + subject + quality.substring(at + PLACEHOLDER.length());
  }

  private static String excerpt(String s) {
    String one = s.replace('\n', ' ');
    return one.length() <= 60 ? one : one.substring(0, 57) + "...";
  }
}
