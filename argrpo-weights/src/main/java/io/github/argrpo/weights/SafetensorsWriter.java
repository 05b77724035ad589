package io.github.argrpo.weights;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.argrpo.core.io.TempSiblings;
import io.github.argrpo.core.runtime.NativeRuntime;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.DeviceType;

/**
 * Writes tensors to a safetensors file that the Python {@code safetensors} library (and
 * {@link SafetensorsFile}) reads.
 *
 * <pre>{@code
 * Map<String, Tensor> sd = new LinkedHashMap<>();
 * sd.put("tok_embeddings.weight", model.tokEmbeddings().weight());
 * SafetensorsWriter.write(Path.of("gpt.safetensors"), sd);
 * // Python: safetensors.torch.load_file("gpt.safetensors") -> model.load_state_dict(...)
 * }</pre>
 *
 * <p><b>Keys must be the reference state-dict names</b> (for example {@code
 * layers.0.attention.wqkv.weight}, the names of LlamaGen's {@code model.state_dict()}), so that the
 * file loads into the Python model with {@code load_state_dict} unchanged.
 *
 * <p>The layout is the Python library's: tensors sorted by dtype (largest alignment first, in the
 * order of {@link SafetensorsDtype}) then by name, packed without gaps; the compact JSON header
 * padded with spaces to a multiple of 8 bytes so every tensor starts 8-byte aligned; the optional
 * {@code __metadata__} map written first (its keys sorted). For files without metadata the bytes are
 * the same as {@code safetensors.torch.save_file} produces.
 *
 * <p>Tensors may live on any device, have any strides and require grad: each is copied to a
 * contiguous CPU tensor, one at a time, inside a {@code PointerScope}, so the peak extra memory is one
 * tensor. The file is written to a temporary file in the target folder, synced, then renamed over the
 * target atomically: a reader never sees a half-written file. The caller keeps ownership of the
 * tensors passed in.
 */
public final class SafetensorsWriter {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Writes at most this many bytes per {@code write} call (a ByteBuffer is limited to 2 GB). */
  private static final long CHUNK = 1L << 28;

  private SafetensorsWriter() {}

  /** Writes {@code tensors} to {@code path} without metadata; see {@link #write(Path, Map, Map)}. */
  public static void write(Path path, Map<String, Tensor> tensors) throws IOException {
    write(path, tensors, Map.of());
  }

  /**
   * Writes {@code tensors} and the string map {@code metadata} ({@code __metadata__}, may be empty)
   * to {@code path}, replacing it atomically.
   *
   * @throws IllegalArgumentException for a key named {@code __metadata__}, an undefined tensor or a
   *     dtype safetensors cannot hold (complex, quantized)
   * @throws IOException if the file cannot be written; the target is then left unchanged
   */
  public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    checkNotNull(path, "path");
    checkNotNull(tensors, "tensors");
    checkNotNull(metadata, "metadata");
    NativeRuntime.init();
    List<Item> items = plan(tensors);
    try (Target target = Target.open(path)) {
      target.writeHeader(header(items, metadata));
      for (Item it : items) {
        writeTensor(target.channel, it);
      }
      target.commit();
    }
  }

  /**
   * Opens a file whose tensors are written one at a time, in the order of {@code layout}, so a file
   * far larger than memory (a text-feature store of 30,000 prompts) is written with one tensor in
   * memory at a time. The header is written first from the declared names, dtypes and shapes; the
   * data follows in declaration order, packed without gaps (safetensors requires only that the byte
   * ranges tile the data section, not any order of names). Nothing is visible at {@code path} until
   * {@link Stream#commit()}; closing an uncommitted stream deletes the temporary file.
   *
   * <pre>{@code
   * try (SafetensorsWriter.Stream out = SafetensorsWriter.stream(path, layout, Map.of())) {
   *   for (TensorInfo t : layout) {
   *     out.write(t.name(), compute(t));
   *   }
   *   out.commit();
   * }
   * }</pre>
   *
   * @throws IllegalArgumentException for an empty layout, a duplicate or reserved name, or an unknown dtype
   */
  public static Stream stream(Path path, List<TensorInfo> layout, Map<String, String> metadata) throws IOException {
    checkNotNull(path, "path");
    checkNotNull(layout, "layout");
    checkNotNull(metadata, "metadata");
    checkArgument(!layout.isEmpty(), "a streamed safetensors file needs at least one tensor in its layout");
    NativeRuntime.init();
    List<Item> items = new ArrayList<>(layout.size());
    Set<String> names = new HashSet<>();
    long offset = 0;
    for (TensorInfo info : layout) {
      checkArgument(!info.name().equals("__metadata__") && names.add(info.name()), "tensor name '%s' is %s",
          info.name(), info.name().equals("__metadata__") ? "reserved for the metadata map" : "declared twice");
      SafetensorsDtype dtype = SafetensorsDtype.fromName(info.dtype());
      long n = Math.multiplyExact(info.numel(), (long) dtype.byteSize());
      items.add(new Item(info.name(), dtype, info.shape(), null, offset, offset + n));
      offset += n;
    }
    Target target = Target.open(path);
    try {
      target.writeHeader(header(items, metadata));
      return new Stream(target, items);
    } catch (IOException | RuntimeException e) {
      target.close();
      throw e;
    }
  }

  /**
   * {@code layout} in the order {@link #write} lays tensors out (the Python library's: descending
   * dtype, then name), so that a file streamed in this order has the same bytes as one written at once.
   */
  public static List<TensorInfo> pythonOrder(List<TensorInfo> layout) {
    List<TensorInfo> sorted = new ArrayList<>(layout);
    sorted.sort(Comparator.comparing((TensorInfo t) -> SafetensorsDtype.fromName(t.dtype()), Comparator.reverseOrder())
        .thenComparing(TensorInfo::name));
    return sorted;
  }

  /** A file being written tensor by tensor; see {@link SafetensorsWriter#stream}. Not thread-safe. */
  public static final class Stream implements AutoCloseable {

    private final Target target;
    private final List<Item> items;
    private int next;

    private Stream(Target target, List<Item> items) {
      this.target = target;
      this.items = items;
    }

    /**
     * Writes the next tensor of the layout; the caller keeps ownership of {@code t}.
     *
     * @throws IllegalArgumentException if {@code name} is not the next declared tensor or {@code t}
     *     has another dtype or shape than declared
     * @throws IllegalStateException after every declared tensor was written, or after commit
     */
    public void write(String name, Tensor t) throws IOException {
      checkState(!target.committed && next != items.size(),
          "every declared tensor was already written; '%s' is one too many", name);
      Item it = items.get(next);
      checkArgument(it.name().equals(name),
          "tensors must be written in layout order: expected '%s', got '%s'", it.name(), name);
      SafetensorsDtype dtype = SafetensorsDtype.of(t.scalar_type());
      if (dtype != it.dtype() || !Arrays.equals(t.shape(), it.shape())) {
        throw new IllegalArgumentException("tensor '" + name + "' is " + dtype + " " + Arrays.toString(t.shape())
            + ", declared " + it.dtype() + " " + Arrays.toString(it.shape()));
      }
      writeTensor(target.channel, new Item(it.name(), it.dtype(), it.shape(), t, it.begin(), it.end()));
      next++;
    }

    /**
     * Syncs and moves the file into place.
     *
     * @throws IllegalStateException if some declared tensors were not written (the first is named)
     */
    public void commit() throws IOException {
      if (next != items.size()) {
        throw new IllegalStateException("cannot commit: " + (items.size() - next) + " declared tensors were not "
            + "written, starting with '" + items.get(next).name() + "'");
      }
      target.commit();
    }

    /** Deletes the temporary file unless committed; idempotent. */
    @Override
    public void close() throws IOException {
      target.close();
    }
  }

  /** The temporary file beside the target, moved over it atomically on commit. */
  private static final class Target implements AutoCloseable {

    private final Path abs;
    private final Path tmp;
    private final FileChannel channel;
    private boolean committed;
    private boolean closed;

    private Target(Path abs, Path tmp, FileChannel channel) {
      this.abs = abs;
      this.tmp = tmp;
      this.channel = channel;
    }

    static Target open(Path path) throws IOException {
      Path abs = path.toAbsolutePath();
      Path dir = abs.getParent();
      Files.createDirectories(dir);
      Path tmp = TempSiblings.file(dir, "." + abs.getFileName() + ".", ".tmp");
      try {
        return new Target(abs, tmp, FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
    }

    void writeHeader(byte[] header) throws IOException {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      len.putLong(header.length).flip();
      writeFully(channel, len);
      writeFully(channel, ByteBuffer.wrap(header));
    }

    void commit() throws IOException {
      channel.force(true);
      channel.close();
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      committed = true;
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      if (!committed) {
        channel.close();
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** One tensor to write: its key, dtype, shape and byte range. */
  private record Item(String name, SafetensorsDtype dtype, long[] shape, Tensor tensor, long begin,
      long end) {}

  /** Validates the inputs and lays the tensors out in the Python library's order. */
  private static List<Item> plan(Map<String, Tensor> tensors) {
    List<Item> items = new ArrayList<>(tensors.size());
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      String name = checkNotNull(e.getKey(), "tensor name");
      Tensor t = e.getValue();
      checkArgument(!name.equals("__metadata__"),
          "'__metadata__' is reserved for the metadata map, it cannot name a tensor");
      checkArgument(t != null && !t.isNull() && t.defined(), "tensor '%s' is null or undefined", name);
      SafetensorsDtype dtype;
      try {
        dtype = SafetensorsDtype.of(t.scalar_type());
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("tensor '" + name + "': " + ex.getMessage(), ex);
      }
      items.add(new Item(name, dtype, t.shape(), t, 0, 0));
    }
    // Same order as the Rust writer behind safetensors.torch.save_file: descending dtype, then name.
    items.sort(Comparator.comparing(Item::dtype, Comparator.reverseOrder())
        .thenComparing(Item::name));
    List<Item> placed = new ArrayList<>(items.size());
    long offset = 0;
    for (Item it : items) {
      long n = Math.multiplyExact(it.tensor().numel(), (long) it.dtype().byteSize());
      placed.add(new Item(it.name(), it.dtype(), it.shape(), it.tensor(), offset, offset + n));
      offset += n;
    }
    return placed;
  }

  /** The compact JSON header, space-padded to a multiple of 8 bytes. */
  private static byte[] header(List<Item> items, Map<String, String> metadata)
      throws JsonProcessingException {
    StringBuilder sb = new StringBuilder("{");
    if (!metadata.isEmpty()) {
      sb.append("\"__metadata__\":").append(JSON.writeValueAsString(new TreeMap<>(metadata)));
    }
    for (Item it : items) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append(JSON.writeValueAsString(it.name())).append(":{\"dtype\":\"").append(it.dtype().name())
          .append("\",\"shape\":[");
      long[] shape = it.shape();
      for (int i = 0; i < shape.length; i++) {
        sb.append(i == 0 ? "" : ",").append(shape[i]);
      }
      sb.append("],\"data_offsets\":[").append(it.begin()).append(',').append(it.end()).append("]}");
    }
    sb.append('}');
    byte[] json = sb.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    byte[] out = new byte[padded];
    System.arraycopy(json, 0, out, 0, json.length);
    for (int i = json.length; i < padded; i++) {
      out[i] = ' ';
    }
    return out;
  }

  private static void writeTensor(FileChannel ch, Item it) throws IOException {
    long n = it.end() - it.begin();
    if (n == 0) {
      return;
    }
    try (PointerScope scope = new PointerScope()) {
      Tensor t = it.tensor().detach();
      if (t.device().type().value != DeviceType.CPU.value) {
        t = t.to(new Device(DeviceType.CPU), t.scalar_type());
      }
      t = t.contiguous();
      checkState(t.nbytes() == n,
          "tensor '%s' changed while writing: expected %s bytes, has %s", it.name(), n, t.nbytes());
      BytePointer base = new BytePointer(t.data_ptr());
      for (long off = 0; off < n; off += CHUNK) {
        long len = Math.min(CHUNK, n - off);
        // asByteBuffer() spans [position, limit) of the pointer: a view, no copy.
        ByteBuffer view = new BytePointer(base).position(off).limit(off + len).asByteBuffer();
        writeFully(ch, view);
      }
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }
}
