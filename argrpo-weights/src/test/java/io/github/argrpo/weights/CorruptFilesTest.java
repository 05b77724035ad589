package io.github.argrpo.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.testing.Fixtures;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Truncated, corrupted and foreign files: every outcome is either a {@link WeightFormatException}
 * naming the file, or a complete, consistent read. Never another exception, never a crash.
 */
class CorruptFilesTest {

  static final Path TINY = Fixtures.parityDir().resolve("gpt-c2i-tiny");

  @TempDir Path tmp;

  @BeforeAll
  static void init() {
    NativeRuntime.init();
  }

  /** Opens with {@link WeightFiles} and reads every tensor; returns false for a clean refusal. */
  static boolean openAndReadAll(Path f) {
    WeightSource w;
    try {
      w = WeightFiles.open(f);
    } catch (WeightFormatException e) {
      assertThat(e.getMessage()).startsWith(f.toString());
      assertThat(e.file()).isEqualTo(f);
      return false;
    } catch (IOException e) {
      throw new AssertionError("expected WeightFormatException, got " + e, e);
    }
    try (w; PointerScope scope = new PointerScope()) {
      for (String k : w.keys()) {
        TensorInfo info = w.info(k);
        Tensor t = w.read(k);
        assertThat(t.shape()).as(k).containsExactly(info.shape());
        assertThat(t.scalar_type().value).isEqualTo(SafetensorsDtype.fromName(info.dtype())
            .scalarType().value);
      }
    }
    return true;
  }

  static int position(Random r, int size) {
    // Half the hits land where the structure is: the first and last 4 KB (safetensors header,
    // data.pkl, zip central directory); the rest anywhere.
    if (r.nextBoolean()) {
      int p = r.nextInt(Math.min(size, 4096));
      return r.nextBoolean() ? p : size - 1 - p;
    }
    return r.nextInt(size);
  }

  void corruptionGivesCleanErrorOrRead(String fixture) throws IOException {
    byte[] good = Files.readAllBytes(TINY.resolve(fixture));
    Path f = tmp.resolve("corrupt-" + fixture);
    qt().withExamples(100).forAll(integers().between(1, 8), longs().all()).checkAssert((n, seed) -> {
      Random r = new Random(seed);
      byte[] bad = good.clone();
      for (int i = 0; i < n; i++) {
        bad[position(r, bad.length)] = (byte) r.nextInt(256);
      }
      try {
        Files.write(f, bad);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      openAndReadAll(f);
    });
  }

  void truncationIsRefused(String fixture) throws IOException {
    byte[] good = Files.readAllBytes(TINY.resolve(fixture));
    Path f = tmp.resolve("trunc-" + fixture);
    qt().withExamples(80).forAll(integers().between(0, good.length - 1)).checkAssert(len -> {
      try {
        Files.write(f, Arrays.copyOf(good, len));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      assertThat(openAndReadAll(f)).as("truncated to %s of %s bytes", len, good.length).isFalse();
    });
  }

  @Test
  void corruptSafetensors() throws IOException {
    corruptionGivesCleanErrorOrRead("weights.safetensors");
  }

  @Test
  void corruptTorchCheckpoints() throws IOException {
    corruptionGivesCleanErrorOrRead("weights.pt");
    corruptionGivesCleanErrorOrRead("weights_mixed.pt");
  }

  @Test
  void truncatedFilesAreRefused() throws IOException {
    truncationIsRefused("weights.safetensors");
    truncationIsRefused("weights_raw.pt");
  }

  @Test
  void randomBytesAreRefusedOrReadCleanly() {
    Path f = tmp.resolve("random.bin");
    qt().withExamples(200).forAll(integers().between(0, 400), integers().between(0, 2), longs().all())
        .checkAssert((len, kind, seed) -> {
          Random r = new Random(seed);
          byte[] b = new byte[len];
          r.nextBytes(b);
          // steer some inputs past the format sniffing into each parser
          if (kind == 1 && len >= 4) {
            System.arraycopy(new byte[] {'P', 'K', 3, 4}, 0, b, 0, 4);
          } else if (kind == 2 && len >= 9) {
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(r.nextInt(len)).put((byte) '{');
          }
          try {
            Files.write(f, b);
          } catch (IOException e) {
            throw new AssertionError(e);
          }
          // almost always refused; a header that happens to read "{}" is a valid empty file
          openAndReadAll(f);
        });
  }

  /** A safetensors file with {@code json} as its header and {@code data} bytes after it. */
  Path safetensors(String name, String json, int data) throws IOException {
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    return Files.write(tmp.resolve(name), b.array());
  }

  @Test
  void lyingSafetensorsHeadersAreNamed() throws IOException {
    Path overlap = safetensors("overlap.st", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12);
    assertThatThrownBy(() -> SafetensorsFile.open(overlap)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("overlaps");
    Path beyond = safetensors("beyond.st",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8);
    assertThatThrownBy(() -> SafetensorsFile.open(beyond)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("'a'").hasMessageContaining("<= 8");
    Path size = safetensors("size.st", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8);
    assertThatThrownBy(() -> SafetensorsFile.open(size)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("12 bytes");
    Path huge = safetensors("huge.st", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],"
        + "\"data_offsets\":[0,8]}}", 8);
    assertThatThrownBy(() -> SafetensorsFile.open(huge)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("too large");
    Path dtype = safetensors("dtype.st", "{\"a\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1);
    assertThatThrownBy(() -> SafetensorsFile.open(dtype)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("Q7");
    Path neg = safetensors("neg.st", "{\"a\":{\"dtype\":\"U8\",\"shape\":[-1],\"data_offsets\":[0,1]}}", 1);
    assertThatThrownBy(() -> SafetensorsFile.open(neg)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("non-negative");
    Path meta = safetensors("meta.st", "{\"__metadata__\":{\"n\":1}}", 0);
    assertThatThrownBy(() -> SafetensorsFile.open(meta)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("must be a string");
    Path dup = safetensors("dup.st", "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
        + "\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", 2);
    assertThatThrownBy(() -> SafetensorsFile.open(dup)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("Duplicate");
    Path empty = safetensors("empty.st", "{}      ", 0);
    try (SafetensorsFile f = SafetensorsFile.open(empty)) {
      assertThat(f.keys()).isEmpty(); // what the Python library writes for an empty dict
    }
    Path notJson = safetensors("json.st", "{\"a\":", 0);
    assertThatThrownBy(() -> SafetensorsFile.open(notJson)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("not valid JSON");
  }
}
