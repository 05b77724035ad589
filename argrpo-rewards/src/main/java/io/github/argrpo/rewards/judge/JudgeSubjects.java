package io.github.argrpo.rewards.judge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import io.github.argrpo.core.condition.ClassCondition;
import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.condition.TextCondition;

/**
 * What the quality judge is told the image should show: the prompt of a {@link TextCondition}, or
 * {@code "a photo of " + names} for a {@link ClassCondition}, where {@code names} is the full
 * comma-separated synset line (for example {@code "a photo of tench, Tinca tinca"}), as AR-GRPO does.
 *
 * <pre>{@code
 * JudgeSubjects subjects = JudgeSubjects.withClassNames(Path.of("imagenet_class_names.txt"));
 * String s = subjects.of(Condition.ofClass(0));      // "a photo of tench, Tinca tinca"
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class JudgeSubjects {

  private final List<String> classNames;

  private JudgeSubjects(List<String> classNames) {
    this.classNames = List.copyOf(classNames);
  }

  /** Text prompts only: a class condition is an error. */
  public static JudgeSubjects textOnly() {
    return new JudgeSubjects(List.of());
  }

  /** Class names by index (line {@code i} is class {@code i}), plus text prompts. */
  public static JudgeSubjects withClassNames(List<String> names) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i) == null || names.get(i).isBlank()) {
        throw new IllegalArgumentException("class name " + i + " is empty");
      }
    }
    return new JudgeSubjects(names.stream().map(String::strip).toList());
  }

  /** Reads class names, one per line (blank trailing lines ignored), e.g. {@code imagenet_class_names.txt}. */
  public static JudgeSubjects withClassNames(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      int n = lines.size();
      while (n > 0 && lines.get(n - 1).isBlank()) {
        n--;
      }
      if (n == 0) {
        throw new IllegalArgumentException("class names file " + file + " is empty");
      }
      try {
        return withClassNames(lines.subList(0, n));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": " + e.getMessage() + " (class ids are 0-based line numbers)", e);
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("class names file not found: " + file.toAbsolutePath(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read class names file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The number of known class names (0 for text only). */
  public int classCount() {
    return classNames.size();
  }

  /** The subject text of {@code c}. */
  public String of(Condition c) {
    if (c instanceof TextCondition t) {
      return t.prompt();
    }
    if (c instanceof ClassCondition k) {
      if (classNames.isEmpty()) {
        throw new IllegalArgumentException("the quality judge got class " + k.label() + " but no class names were "
            + "configured; give a class names file (option class_names)");
      }
      if (k.label() >= classNames.size()) {
        throw new IllegalArgumentException("class " + k.label() + " is out of range: " + classNames.size()
            + " class names are configured");
      }
      return "a photo of " + classNames.get(k.label());
    }
    throw new IllegalArgumentException("condition must not be null");
  }
}
