package io.github.argrpo.rewards.judge;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.file.Path;
import java.util.List;

import io.github.argrpo.core.condition.ClassCondition;
import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.condition.TextCondition;
import io.github.argrpo.rewards.text.ClassNames;

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

  /** Class names, or null for text prompts only. */
  private final ClassNames classNames;

  private JudgeSubjects(ClassNames classNames) {
    this.classNames = classNames;
  }

  /** Text prompts only: a class condition is an error. */
  public static JudgeSubjects textOnly() {
    return new JudgeSubjects(null);
  }

  /** Class names by index (line {@code i} is class {@code i}), plus text prompts. */
  public static JudgeSubjects withClassNames(List<String> names) {
    return new JudgeSubjects(new ClassNames(names.stream().map(n -> n == null ? "" : n.strip()).toList()));
  }

  /**
   * Reads class names, one per line, e.g. {@code imagenet_class_names.txt} (the same reader as the CLIP
   * and HPS rewards: {@link ClassNames#read}).
   */
  public static JudgeSubjects withClassNames(Path file) {
    return new JudgeSubjects(ClassNames.read(file));
  }

  /** The number of known class names (0 for text only). */
  public int classCount() {
    return classNames == null ? 0 : classNames.size();
  }

  /** The subject text of {@code c}. */
  public String of(Condition c) {
    if (c instanceof TextCondition t) {
      return t.prompt();
    }
    if (c instanceof ClassCondition k) {
      checkArgument(classNames != null,
          "the quality judge got class %s but no class names were configured; give a class names file (option "
              + "class_names)", k.label());
      checkArgument(!(k.label() >= classNames.size()),
          "class %s is out of range: %s class names are configured", k.label(), classNames.size());
      return classNames.prompt(k.label());
    }
    throw new IllegalArgumentException("condition must not be null");
  }
}
