package io.github.argrpo.models.text.t5;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A SentencePiece model file that cannot be used: truncated, corrupt, another kind of file, or a
 * model this package does not run (not unigram). The message names the file and the problem.
 */
public class SentencePieceFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  /** The file, or {@code null} when the bytes did not come from a file. */
  private final transient Path file;

  /** A problem with {@code file}, described by {@code problem}. */
  public SentencePieceFormatException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  /** The file that could not be read. */
  public Path file() {
    return file;
  }
}
