package io.github.argrpo.weights;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A weight file that cannot be read because its content is not what the format requires: truncated,
 * corrupt, lying about offsets, or another kind of file. The message names the file and the problem.
 */
public class WeightFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  /** The file, or {@code null} when the content did not come from a file. */
  private final transient Path file;

  /** A problem with {@code file}, described by {@code problem}. */
  public WeightFormatException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  /** A problem with {@code file} detected through {@code cause}. */
  public WeightFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The file that could not be read. */
  public Path file() {
    return file;
  }
}
