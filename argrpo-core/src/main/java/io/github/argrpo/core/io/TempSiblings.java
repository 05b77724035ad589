package io.github.argrpo.core.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Temporary files and folders created next to their final place, to be renamed over it when complete
 * (so a reader never sees half a checkpoint, PNG or weight file), with the permissions an ordinary
 * file gets.
 *
 * <p>Why not {@code Files.createTempFile}: it creates files {@code 0600} and folders {@code 0700} by
 * design, and the rename keeps them, so every checkpoint, exported weight file and sample written
 * that way was unreadable to other users and services (a judge server, a team folder) whatever the
 * umask said. Here the file is created with {@code Files.createFile}, so the process umask applies as
 * it does for Python's {@code torch.save}.
 */
public final class TempSiblings {

  private static final SecureRandom RANDOM = new SecureRandom();

  private TempSiblings() {}

  /**
   * A new empty file {@code dir/<prefix><random><suffix>}, with default permissions.
   *
   * @throws IOException if it cannot be created
   */
  public static Path file(Path dir, String prefix, String suffix) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        return Files.createFile(dir.resolve(name(prefix, suffix)));
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 16) {
          throw e;
        }
      }
    }
  }

  /**
   * A new empty folder {@code dir/<prefix><random>}, with default permissions.
   *
   * @throws IOException if it cannot be created
   */
  public static Path directory(Path dir, String prefix) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        return Files.createDirectory(dir.resolve(name(prefix, "")));
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 16) {
          throw e;
        }
      }
    }
  }

  private static String name(String prefix, String suffix) {
    return prefix + Long.toUnsignedString(RANDOM.nextLong(), 36) + suffix;
  }
}
