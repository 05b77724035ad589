package io.github.argrpo.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.github.argrpo.core.runtime.NativeRuntime;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sparse file above 2 GB (no disk cost): a small tensor after the 2 GB mark and one that straddles
 * the 1 GB boundary between two mapped regions must read back exactly.
 */
class SafetensorsLargeFileTest {

  @TempDir Path tmp;

  @BeforeAll
  static void init() {
    NativeRuntime.init();
  }

  @Test
  void readsTensorsBeyondTwoGigabytesAndAcrossRegionBoundaries() throws IOException {
    long headerLen = 512;
    long dataStart = 8 + headerLen;
    long crossBegin = MappedFile.REGION - 16 - dataStart;    // F32[8]: 16 bytes before, 16 after
    long crossEnd = crossBegin + 32;
    long smallBegin = (1L << 31) + 1000 - dataStart;         // after the 2 GB mark
    long smallEnd = smallBegin + 16;
    String json = "{\"a.pad\":{\"dtype\":\"U8\",\"shape\":[" + crossBegin + "],\"data_offsets\":[0,"
        + crossBegin + "]},\"b.cross\":{\"dtype\":\"F32\",\"shape\":[8],\"data_offsets\":[" + crossBegin
        + "," + crossEnd + "]},\"c.pad\":{\"dtype\":\"U8\",\"shape\":[" + (smallBegin - crossEnd)
        + "],\"data_offsets\":[" + crossEnd + "," + smallBegin + "]},\"d.small\":{\"dtype\":\"F32\","
        + "\"shape\":[2,2],\"data_offsets\":[" + smallBegin + "," + smallEnd + "]}}";
    assertThat(json.length()).isLessThanOrEqualTo((int) headerLen);
    Path f = tmp.resolve("big.safetensors");
    assumeTrue(Files.getFileStore(tmp).getUsableSpace() > (3L << 30),
        "needs room for a 2 GB file in case the file system does not support sparse files");
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        StandardOpenOption.SPARSE)) {
      ByteBuffer head = ByteBuffer.allocate((int) dataStart).order(ByteOrder.LITTLE_ENDIAN);
      head.putLong(headerLen).put(json.getBytes(StandardCharsets.US_ASCII));
      while (head.hasRemaining()) {
        head.put((byte) ' ');
      }
      ch.write(head.flip(), 0);
      ch.write(floats(1.5f, -2f, 3.25f, 4f, 5f, 6f, 7f, 8.5f), dataStart + crossBegin);
      ch.write(floats(10f, 20f, 30f, 40f), dataStart + smallBegin);
    } catch (IOException e) {
      assumeTrue(false, "file system refused a sparse 2 GB file: " + e);
    }
    assertThat(Files.size(f)).isGreaterThan(1L << 31);
    try (SafetensorsFile sf = SafetensorsFile.open(f); PointerScope scope = new PointerScope()) {
      assertThat(sf.keys()).containsExactly("a.pad", "b.cross", "c.pad", "d.small");
      Tensor small = sf.read("d.small");
      assertThat(small.shape()).containsExactly(2, 2);
      float[] v = new float[4];
      small.data_ptr_float().get(v);
      assertThat(v).containsExactly(10f, 20f, 30f, 40f);
      float[] c = new float[8];
      sf.read("b.cross").data_ptr_float().get(c);
      assertThat(c).containsExactly(1.5f, -2f, 3.25f, 4f, 5f, 6f, 7f, 8.5f);
    } finally {
      Files.deleteIfExists(f);
    }
  }

  private static ByteBuffer floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      b.putFloat(x);
    }
    return b.flip();
  }
}
