package io.github.argrpo.weights;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.github.argrpo.core.runtime.NativeRuntime;

import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * A Hugging Face safetensors file, memory-mapped: an 8-byte little-endian header length, a JSON
 * header ({@code name -> {dtype, shape, data_offsets}} and an optional {@code __metadata__} map of
 * strings), then the raw little-endian tensor bytes.
 *
 * <pre>{@code
 * try (SafetensorsFile f = SafetensorsFile.open(Path.of("weights.safetensors"));
 *      PointerScope scope = new PointerScope()) {
 *   TensorInfo info = f.info("tok_embeddings.weight");   // F32 [16384, 768]
 *   Tensor w = f.read("tok_embeddings.weight");          // a copy, freed by scope
 * }
 * }</pre>
 *
 * <p>The header is validated completely in {@link #open(Path)}: every dtype is known, every shape
 * matches its byte length, every data range lies inside the file and no two overlap. A bad file is
 * a {@link WeightFormatException}, never a native crash. Reading copies the mapped bytes straight into
 * the new tensor's memory with {@code memcpy}; files above 2 GB work.
 *
 * <p>Thread-safe: several threads may {@link #read(String)} at once. {@link #close()} unmaps the
 * file; tensors already read stay valid.
 */
public final class SafetensorsFile implements WeightSource {

  /** Headers above this size are refused (the Python library's limit is also 100 MB). */
  static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private static final String METADATA_KEY = "__metadata__";
  /** Duplicate names are an error, not "last one wins": two entries could describe one tensor. */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private final MappedFile file;
  private final long dataStart;
  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;
  private final Set<String> keys;

  /** One tensor of the header: its info and absolute byte range in the file. */
  private record Entry(TensorInfo info, SafetensorsDtype dtype, long begin, long end) {}

  private SafetensorsFile(MappedFile file, long dataStart, Map<String, Entry> entries,
      Map<String, String> metadata) {
    this.file = file;
    this.dataStart = dataStart;
    this.entries = entries;
    this.metadata = metadata;
    this.keys = Collections.unmodifiableSet(new LinkedHashSet<>(entries.keySet()));
  }

  /**
   * Opens and memory-maps {@code path} and validates its header.
   *
   * @throws WeightFormatException if the file is not a well-formed safetensors file (the message
   *     names the file and the problem)
   * @throws IOException if the file cannot be opened
   */
  public static SafetensorsFile open(Path path) throws IOException {
    MappedFile f = MappedFile.open(path);
    try {
      return parse(f);
    } catch (IOException | RuntimeException e) {
      f.close();
      throw e;
    }
  }

  private static SafetensorsFile parse(MappedFile f) throws IOException {
    Path path = f.path();
    if (f.size() < 8) {
      throw new WeightFormatException(path, "not a safetensors file: " + f.size()
          + " bytes, expected at least the 8-byte header length");
    }
    long headerLen = ByteBuffer.wrap(f.readBytes(0, 8, "header length"))
        .order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (headerLen < 2 || headerLen > MAX_HEADER_BYTES || headerLen > f.size() - 8) {
      throw new WeightFormatException(path, "not a safetensors file: header length " + headerLen
          + " must be in [2, " + Math.min(MAX_HEADER_BYTES, f.size() - 8)
          + "] for a file of " + f.size() + " bytes");
    }
    byte[] headerBytes = f.readBytes(8, (int) headerLen, "JSON header");
    if (headerBytes[0] != '{') {
      throw new WeightFormatException(path, "not a safetensors file: the header does not start with '{'");
    }
    JsonNode root;
    try {
      root = JSON.readTree(headerBytes);
    } catch (JsonProcessingException e) {
      throw new WeightFormatException(path, "the safetensors header is not valid JSON: "
          + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new WeightFormatException(path, "the safetensors header must be a JSON object");
    }
    long dataStart = 8 + headerLen;
    long dataLen = f.size() - dataStart;
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> list = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      String name = field.getKey();
      JsonNode node = field.getValue();
      if (name.equals(METADATA_KEY)) {
        readMetadata(path, node, metadata);
      } else {
        list.add(readEntry(path, name, node, dataStart, dataLen));
      }
    }
    // "Keys in file order": the order of the data, which is also the header order for files written
    // by the Python library; a stable sort keeps header order among zero-byte tensors.
    List<Entry> byOffset = new ArrayList<>(list);
    byOffset.sort(Comparator.comparingLong(Entry::begin));
    long prevEnd = dataStart;
    String prevName = null;
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (Entry e : byOffset) {
      if (e.begin() < prevEnd) {
        throw new WeightFormatException(path, "tensor '" + e.info().name() + "' data ["
            + (e.begin() - dataStart) + ", " + (e.end() - dataStart) + ") overlaps tensor '" + prevName
            + "' ending at " + (prevEnd - dataStart));
      }
      if (e.end() > e.begin()) {
        prevEnd = e.end();
        prevName = e.info().name();
      }
      entries.put(e.info().name(), e);
    }
    return new SafetensorsFile(f, dataStart, Collections.unmodifiableMap(entries),
        Collections.unmodifiableMap(metadata));
  }

  private static void readMetadata(Path path, JsonNode node, Map<String, String> out)
      throws WeightFormatException {
    if (!node.isObject()) {
      throw new WeightFormatException(path, "__metadata__ must be a JSON object of strings, got "
          + node.getNodeType());
    }
    for (Map.Entry<String, JsonNode> m : node.properties()) {
      if (!m.getValue().isTextual()) {
        throw new WeightFormatException(path, "__metadata__ value of '" + m.getKey()
            + "' must be a string, got " + m.getValue().getNodeType());
      }
      out.put(m.getKey(), m.getValue().textValue());
    }
  }

  private static Entry readEntry(Path path, String name, JsonNode node, long dataStart, long dataLen)
      throws WeightFormatException {
    String where = "tensor '" + name + "'";
    if (!node.isObject()) {
      throw new WeightFormatException(path, where + " must be a JSON object {dtype, shape, data_offsets}");
    }
    JsonNode dtypeNode = node.get("dtype");
    JsonNode shapeNode = node.get("shape");
    JsonNode offNode = node.get("data_offsets");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw new WeightFormatException(path, where + " has no string 'dtype'");
    }
    SafetensorsDtype dtype;
    try {
      dtype = SafetensorsDtype.fromName(dtypeNode.textValue());
    } catch (IllegalArgumentException e) {
      throw new WeightFormatException(path, where + ": " + e.getMessage());
    }
    if (shapeNode == null || !shapeNode.isArray()) {
      throw new WeightFormatException(path, where + " has no array 'shape'");
    }
    long[] shape = new long[shapeNode.size()];
    long numel = 1;
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = shapeNode.get(i);
      if (!d.canConvertToExactIntegral() || !d.canConvertToLong() || d.longValue() < 0) {
        throw new WeightFormatException(path, where + " shape " + shapeNode
            + " must hold non-negative integers");
      }
      shape[i] = d.longValue();
      numel = multiplyOrFail(path, where, numel, shape[i]);
    }
    long nbytes = multiplyOrFail(path, where, numel, dtype.byteSize());
    if (offNode == null || !offNode.isArray() || offNode.size() != 2
        || !isLong(offNode.get(0)) || !isLong(offNode.get(1))) {
      throw new WeightFormatException(path, where + " needs 'data_offsets' [begin, end], got " + offNode);
    }
    long begin = offNode.get(0).longValue();
    long end = offNode.get(1).longValue();
    if (begin < 0 || end < begin || end > dataLen) {
      throw new WeightFormatException(path, where + " data_offsets [" + begin + ", " + end
          + "] must satisfy 0 <= begin <= end <= " + dataLen
          + " (the data section size); the file is truncated or the header lies");
    }
    if (end - begin != nbytes) {
      throw new WeightFormatException(path, where + " is " + dtype + " " + Arrays.toString(shape)
          + " = " + nbytes + " bytes, but data_offsets [" + begin + ", " + end + "] hold "
          + (end - begin));
    }
    return new Entry(new TensorInfo(name, dtype.name(), shape), dtype, dataStart + begin, dataStart + end);
  }

  private static boolean isLong(JsonNode n) {
    return n != null && n.canConvertToExactIntegral() && n.canConvertToLong();
  }

  private static long multiplyOrFail(Path path, String where, long a, long b)
      throws WeightFormatException {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw new WeightFormatException(path, where + " has a shape too large to address");
    }
  }

  /** The file this reads. */
  public Path path() {
    return file.path();
  }

  @Override
  public Set<String> keys() {
    return keys;
  }

  @Override
  public TensorInfo info(String key) {
    return entry(key).info();
  }

  /** The {@code __metadata__} map of the header; empty if absent; unmodifiable. */
  public Map<String, String> metadata() {
    return metadata;
  }

  @Override
  public Tensor read(String key) {
    Entry e = entry(key);
    NativeRuntime.init();
    Tensor t;
    try (TensorOptions o = new TensorOptions(e.dtype().scalarType());
        MemoryFormatOptional mf = new MemoryFormatOptional()) {
      t = torch.empty(e.info().shape(), o, mf);
    }
    long n = e.end() - e.begin();
    if (n > 0) {
      try {
        file.copyTo(e.begin(), n, t.data_ptr(), "tensor '" + key + "'");
      } catch (WeightFormatException ex) {
        // Ranges were validated in open(); reaching this means the file shrank underneath us.
        t.close();
        throw new IllegalStateException(ex.getMessage(), ex);
      } catch (RuntimeException ex) {
        t.close();
        throw ex;
      }
    }
    return t;
  }

  private Entry entry(String key) {
    Entry e = entries.get(key);
    checkArgument(e != null, "no tensor '%s' in %s (%s tensors)", key, file.path(), entries.size());
    return e;
  }

  /** Offset of the data section (8 + header length); for diagnostics and tests. */
  long dataStart() {
    return dataStart;
  }

  @Override
  public void close() {
    file.close();
  }

  @Override
  public String toString() {
    return "SafetensorsFile[" + file.path() + ", " + entries.size() + " tensors]";
  }
}
