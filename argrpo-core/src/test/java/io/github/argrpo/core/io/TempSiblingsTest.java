package io.github.argrpo.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempSiblingsTest {

  @TempDir
  Path dir;

  @Test
  void filesAndFoldersGetTheOrdinaryPermissionsAndUniqueNames() throws IOException {
    Path plainFile = Files.createFile(dir.resolve("plain"));
    Path plainDir = Files.createDirectory(dir.resolve("plain-dir"));
    Set<Path> seen = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      Path f = TempSiblings.file(dir, ".x.", ".tmp");
      assertThat(f.getParent()).isEqualTo(dir);
      assertThat(f.getFileName().toString()).startsWith(".x.").endsWith(".tmp");
      assertThat(Files.size(f)).isZero();
      assertThat(seen.add(f)).isTrue();
    }
    Path f = TempSiblings.file(dir, ".y.", ".tmp");
    Path d = TempSiblings.directory(dir, ".tmp-step-");
    assertThat(d).isDirectory();
    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      Set<PosixFilePermission> file = Files.getPosixFilePermissions(f);
      assertThat(file).isEqualTo(Files.getPosixFilePermissions(plainFile));
      assertThat(Files.getPosixFilePermissions(d)).isEqualTo(Files.getPosixFilePermissions(plainDir));
      // what createTempFile would have given, whatever the umask
      assertThat(Files.getPosixFilePermissions(Files.createTempFile(dir, "t", ""))).hasSize(2);
    }
  }
}
