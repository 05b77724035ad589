package io.github.argrpo.examples.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzWriterTest {

  @TempDir
  Path dir;

  @Test
  void anyShapeRoundTripsWithAnAlignedHeader() {
    qt().withExamples(30).forAll(integers().between(0, 5), integers().between(1, 7), integers().between(1, 300))
        .checkAssert((n, h, seed) -> {
          byte[] data = new byte[n * h * 3];
          new Random(seed).nextBytes(data);
          Path f = dir.resolve("a" + n + "_" + h + "_" + seed + ".npz");
          try {
            try (NpzWriter w = NpzWriter.create(f, "arr_0", n, h, 1, 3)) {
              for (int i = 0; i < n; i++) {
                w.write(Arrays.copyOfRange(data, i * h * 3, (i + 1) * h * 3));
              }
            }
            NpzReader.Array a = NpzReader.read(f, "arr_0");
            assertThat(a.shape()).containsExactly((long) n, (long) h, 1L, 3L);
            assertThat(a.descr()).isEqualTo("|u1");
            assertThat(a.data()).isEqualTo(data);
            assertThat(a.headerLength() % 64).isZero();
            assertThat(a.zipMethod()).isEqualTo(ZipEntry.STORED);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  @Test
  void oneDimensionalShapeHasPythonTupleComma() {
    String h = new String(NpyHeader.of("<f4", 5), StandardCharsets.US_ASCII);
    assertThat(h).contains("'shape': (5,)").contains("'descr': '<f4'");
  }

  @Test
  void incompleteArrayIsAnErrorAndLeavesNoFile() throws IOException {
    Path f = dir.resolve("short.npz");
    NpzWriter w = NpzWriter.create(f, "arr_0", 2, 1, 1, 3);
    w.write(new byte[3]);
    assertThatThrownBy(w::close).hasMessageContaining("incomplete").hasMessageContaining("6 bytes, 3 were written");
    assertThat(f).doesNotExist();
    try (var l = Files.list(dir)) {
      assertThat(l.count()).isZero();
    }
    NpzWriter w2 = NpzWriter.create(dir.resolve("o.npz"), "arr_0", 1, 1, 1, 3);
    assertThatThrownBy(() -> w2.write(new byte[4])).hasMessageContaining("overflow");
    w2.write(new byte[3]);
    w2.close();
  }

  @Test
  void aResumableExportKeepsWholeUnitsAndContinuesToTheSameFile() throws IOException {
    byte[] data = new byte[6 * 3];
    new Random(4).nextBytes(data);
    Path straight = dir.resolve("straight.npz");
    try (NpzWriter w = NpzWriter.create(straight, "arr_0", 6, 1, 1, 3)) {
      w.write(data);
    }
    Path f = dir.resolve("r.npz");
    NpzWriter first = NpzWriter.resumable(f, "arr_0", "settings A", false, 2, 6, 1, 1, 3);
    assertThat(first.itemsDone()).isZero();
    first.write(Arrays.copyOfRange(data, 0, 9)); // 3 images, then "interrupted"
    assertThatThrownBy(first::close).hasMessageContaining("3 of 6 images").hasMessageContaining("--resume");
    assertThat(f).doesNotExist();
    assertThat(dir.resolve(".r.npz.partial.npy")).exists();

    assertThatThrownBy(() -> NpzWriter.resumable(f, "arr_0", "settings A", false, 2, 6, 1, 1, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 of 6 images").hasMessageContaining("--resume");
    assertThatThrownBy(() -> NpzWriter.resumable(f, "arr_0", "settings B", true, 2, 6, 1, 1, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other settings");
    assertThatThrownBy(() -> NpzWriter.resumable(f, "arr_0", "settings A", true, 2, 7, 1, 1, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other settings");

    try (NpzWriter again = NpzWriter.resumable(f, "arr_0", "settings A", true, 2, 6, 1, 1, 3)) {
      assertThat(again.itemsDone()).isEqualTo(2); // the third image is not a whole unit of 2
      again.write(Arrays.copyOfRange(data, 6, 18));
    }
    assertThat(NpzReader.read(f, "arr_0").data()).isEqualTo(data);
    assertThat(Files.readAllBytes(f)).isEqualTo(Files.readAllBytes(straight));
    assertThat(dir.resolve(".r.npz.partial.npy")).doesNotExist();
    assertThat(dir.resolve(".r.npz.partial.json")).doesNotExist();
  }
}
