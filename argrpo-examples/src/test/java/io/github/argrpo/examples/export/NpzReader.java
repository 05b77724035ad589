package io.github.argrpo.examples.export;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** A minimal {@code .npz} reader for tests, written from the NumPy format description (not NpzWriter's code). */
public final class NpzReader {

  /** One array: its type string, shape and raw C-order bytes. */
  public record Array(String descr, long[] shape, byte[] data, int headerLength, int zipMethod) {}

  private NpzReader() {}

  /** Reads array {@code name} ({@code name.npy} in the archive). */
  public static Array read(Path npz, String name) throws IOException {
    try (ZipFile z = new ZipFile(npz.toFile())) {
      ZipEntry e = z.getEntry(name + ".npy");
      if (e == null) {
        throw new IOException(npz + " has no " + name + ".npy");
      }
      try (InputStream in = z.getInputStream(e)) {
        byte[] all = in.readAllBytes();
        if ((all[0] & 0xff) != 0x93 || !new String(all, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY") || all[6] != 1) {
          throw new IOException("not an npy v1 file");
        }
        int hl = (all[8] & 0xff) | (all[9] & 0xff) << 8;
        String header = new String(all, 10, hl, StandardCharsets.US_ASCII);
        Matcher d = Pattern.compile("'descr': '([^']+)'").matcher(header);
        Matcher s = Pattern.compile("'shape': \\(([^)]*)\\)").matcher(header);
        if (!d.find() || !s.find() || !header.contains("'fortran_order': False") || !header.endsWith("\n")) {
          throw new IOException("bad npy header: " + header);
        }
        long[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(x -> !x.isEmpty())
            .mapToLong(Long::parseLong).toArray();
        return new Array(d.group(1), shape, Arrays.copyOfRange(all, 10 + hl, all.length), 10 + hl, e.getMethod());
      }
    }
  }
}
