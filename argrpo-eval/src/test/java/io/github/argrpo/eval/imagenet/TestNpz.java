package io.github.argrpo.eval.imagenet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes small {@code .npz} files (deflated, like {@code np.savez_compressed}) for tests. */
final class TestNpz {

  private TestNpz() {}

  /** One array: its NumPy dtype, shape and little-endian bytes. */
  record Array(String descr, long[] shape, byte[] data) {
    static Array u8(byte[] data, long... shape) {
      return new Array("|u1", shape, data);
    }

    static Array f64(double[] values, long... shape) {
      ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
      for (double v : values) {
        b.putDouble(v);
      }
      return new Array("<f8", shape, b.array());
    }
  }

  static void write(Path npz, Map<String, Array> arrays) throws IOException {
    try (OutputStream os = Files.newOutputStream(npz); ZipOutputStream zip = new ZipOutputStream(os)) {
      for (Map.Entry<String, Array> e : arrays.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
        Array a = e.getValue();
        String shape = LongStream.of(a.shape()).mapToObj(Long::toString).collect(Collectors.joining(", "))
            + (a.shape().length == 1 ? "," : "");
        StringBuilder h = new StringBuilder("{'descr': '" + a.descr() + "', 'fortran_order': False, 'shape': ("
            + shape + "), }");
        while ((10 + h.length() + 1) % 64 != 0) {
          h.append(' ');
        }
        h.append('\n');
        byte[] header = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        zip.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length, (byte) (header.length >> 8)});
        zip.write(header);
        zip.write(a.data());
        zip.closeEntry();
      }
    }
  }
}
