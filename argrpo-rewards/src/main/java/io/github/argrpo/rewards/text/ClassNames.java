package io.github.argrpo.rewards.text;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Class names for class-to-image conditions, read from a text file with one name per line: line
 * {@code i} (0-based) names class {@code i}. AR-GRPO uses the full ImageNet synset strings, e.g.
 * {@code "tench, Tinca tinca"}, so the CLIP text is {@code "a photo of tench, Tinca tinca"}.
 *
 * <pre>{@code
 * ClassNames names = ClassNames.read(Path.of("imagenet_class_names.txt"));
 * String text = names.prompt(0);   // "a photo of tench, Tinca tinca"
 * }</pre>
 *
 * @param names the names, index = class label; none blank
 */
public record ClassNames(List<String> names) {

  /** The AR-GRPO text template for class-to-image rewards. */
  public static final String PHOTO_OF = "a photo of ";

  public ClassNames {
    names = List.copyOf(names);
    checkArgument(!names.isEmpty(), "class names must not be empty");
    for (int i = 0; i < names.size(); i++) {
      checkArgument(!names.get(i).isBlank(), "class name %s (line %s) is blank", i, i + 1);
    }
  }

  /** Reads one name per line (UTF-8); a trailing empty line is ignored, other blank lines are errors. */
  public static ClassNames read(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
        lines.remove(lines.size() - 1);
      }
      checkArgument(!lines.isEmpty(), "class names file %s is empty; expected one name per line", file);
      try {
        return new ClassNames(lines);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read class names " + file + ": " + e.getMessage(), e);
    }
  }

  /** Name of class {@code label}. */
  public String get(int label) {
    checkArgument(label >= 0 && label < names.size(), "class label %s is outside the %s class names [0, %s]", label,
        names.size(), names.size() - 1);
    return names.get(label);
  }

  /** {@code "a photo of " + name}, the text AR-GRPO scores class-to-image samples against. */
  public String prompt(int label) {
    return PHOTO_OF + get(label);
  }

  /** Number of classes. */
  public int size() {
    return names.size();
  }
}
