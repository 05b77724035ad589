package io.github.argrpo.weights;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import io.github.argrpo.core.runtime.NativeRuntime;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the state dict of a Python {@code torch.save} checkpoint (the zip format of PyTorch 1.6 and
 * later), such as the official LlamaGen {@code c2i_B_256.pt} or {@code vq_ds16_c2i.pt}, without
 * Python and without loading the whole file.
 *
 * <pre>{@code
 * try (TorchCheckpointReader ckpt = TorchCheckpointReader.open(Path.of("c2i_B_256.pt"));
 *      PointerScope scope = new PointerScope()) {
 *   ckpt.stateDictEntry();                        // "model"
 *   Tensor w = ckpt.read("tok_embeddings.weight"); // F32 [16384, 768], a contiguous copy
 * }
 * }</pre>
 *
 * <p>The archive's {@code data.pkl} is read by a pickle interpreter that executes nothing (see
 * {@link TorchPickleHooks} for what each torch global means). The state dict is the top-level
 * object itself (raw or FSDP-consolidated checkpoints), or, as LlamaGen's sample scripts pick it,
 * its {@code "model"}, {@code "module"} or {@code "state_dict"} entry; {@link #open(Path, String)}
 * chooses another entry such as {@code "ema"}. Other top-level entries (optimizer state,
 * {@code args} as an {@code argparse.Namespace}, step counters) are read as opaque objects and
 * ignored. Tensors of types safetensors cannot hold (complex, quantized, sparse) are left out of
 * {@link #keys()} with a warning naming each and why, and listed by {@link #undecodable()}, so a
 * load that needs one says "present but not decodable" rather than "missing". Tensors that torch
 * 2.1 and later write with {@code _rebuild_tensor_v3} (uint16/32/64, float8) are decoded.
 *
 * <p>Tensor bytes are copied straight from the memory-mapped archive (torch stores entries
 * uncompressed), zip64 archives above 4 GB included. Views (storage offsets, strides, shared
 * storages) read as new contiguous tensors. Legacy pre-1.6 (non-zip) files are refused with a
 * message saying how to re-save them. Thread-safe like {@link SafetensorsFile}.
 */
public final class TorchCheckpointReader implements WeightSource {

  private static final Logger LOG = LoggerFactory.getLogger(TorchCheckpointReader.class);

  /** The wrapper keys LlamaGen's scripts try, in their order (llamagen.md 4.2). */
  static final List<String> WRAPPER_KEYS = List.of("model", "module", "state_dict");

  /** A data.pkl above this size is refused (a state dict's pickle is kilobytes to a few MB). */
  private static final long MAX_PICKLE_BYTES = 512L * 1024 * 1024;

  private final MappedFile file;
  private final Map<String, Entry> entries;
  private final Map<String, String> undecodable;
  private final String stateDictEntry;
  private final Set<Object> topLevelKeys;
  private final Set<String> keys;

  /** A readable tensor: its info, its view, and the absolute offset of its storage bytes. */
  private record Entry(TensorInfo info, TorchTensorRef ref, long storageOffset) {}

  private TorchCheckpointReader(MappedFile file, Map<String, Entry> entries, Map<String, String> undecodable,
      String stateDictEntry, Set<Object> topLevelKeys) {
    this.file = file;
    this.entries = entries;
    this.undecodable = undecodable;
    this.stateDictEntry = stateDictEntry;
    this.topLevelKeys = topLevelKeys;
    this.keys = Collections.unmodifiableSet(new LinkedHashSet<>(entries.keySet()));
  }

  /**
   * Opens a checkpoint and finds its state dict: the {@code "model"}, {@code "module"} or
   * {@code "state_dict"} entry if the top level has one holding a dict, else the top level itself.
   *
   * @throws WeightFormatException if the file is not a readable {@code torch.save} zip archive or
   *     holds no tensors
   */
  public static TorchCheckpointReader open(Path path) throws IOException {
    return open(path, null);
  }

  /**
   * Opens a checkpoint whose state dict is top-level entry {@code entry} (e.g. {@code "ema"}), or
   * the top-level object itself for {@code ""}; {@code null} chooses as {@link #open(Path)}.
   */
  public static TorchCheckpointReader open(Path path, String entry) throws IOException {
    MappedFile f = MappedFile.open(path);
    try {
      return parse(f, entry);
    } catch (IOException | RuntimeException e) {
      f.close();
      throw e;
    }
  }

  private static TorchCheckpointReader parse(MappedFile f, String wanted) throws IOException {
    Path path = f.path();
    byte[] head = f.readBytes(0, (int) Math.min(8, f.size()), "file start");
    if (!ZipArchive.hasZipMagic(head)) {
      if (head.length >= 2 && (head[0] & 0xFF) == 0x80 && (head[1] & 0xFF) <= 5) {
        throw new WeightFormatException(path, "legacy (pre-1.6, non-zip) torch.save format, which "
            + "this reader does not support; re-save it in Python with "
            + "torch.save(torch.load(path, map_location='cpu'), new_path)");
      }
      throw new WeightFormatException(path, "not a torch.save checkpoint: it does not start with a "
          + "zip header");
    }
    ZipArchive zip = ZipArchive.read(f);
    String prefix = archivePrefix(path, zip);
    ZipArchive.Entry order = zip.entries().get(prefix + "byteorder");
    if (order != null) {
      String bo = new String(entryBytes(f, order), StandardCharsets.US_ASCII).trim();
      if (!bo.equals("little")) {
        throw new WeightFormatException(path, "byte order '" + bo + "' is not supported, only little");
      }
    }
    byte[] pickle = entryBytes(f, zip.entries().get(prefix + "data.pkl"));
    Object root = PickleReader.load(path, prefix + "data.pkl", pickle, new TorchPickleHooks());
    if (!(root instanceof Map<?, ?> top)) {
      throw new WeightFormatException(path, "the checkpoint holds " + PickleReader.describe(root)
          + ", expected a dict (a state dict or {'model': state_dict, ...})");
    }
    String chosen = chooseEntry(path, top, wanted);
    Map<?, ?> sd = chosen.isEmpty() ? top : (Map<?, ?>) top.get(chosen);
    Map<String, Entry> entries = new LinkedHashMap<>();
    Map<String, String> undecodable = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : sd.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        continue;
      }
      if (e.getValue() instanceof UndecodableTensor u) {
        undecodable.put(key, u.reason());
      } else if (e.getValue() instanceof TorchTensorRef ref) {
        entries.put(key, resolve(f, zip, prefix, key, ref));
      }
    }
    for (Map.Entry<String, String> u : undecodable.entrySet()) {
      LOG.warn("{}: tensor '{}' is present but not decodable: {}", path, u.getKey(), u.getValue());
    }
    if (entries.isEmpty() && !undecodable.isEmpty()) {
      throw new WeightFormatException(path, "none of the " + undecodable.size() + " tensors can be decoded; '"
          + undecodable.keySet().iterator().next() + "': " + undecodable.values().iterator().next());
    }
    if (entries.isEmpty()) {
      throw new WeightFormatException(path, "no tensors found in "
          + (chosen.isEmpty() ? "the top-level dict" : "entry '" + chosen + "'") + " (top-level keys: "
          + keysForMessage(top) + ")");
    }
    LOG.debug("{}: {} tensors from {}", path, entries.size(), chosen.isEmpty() ? "top level" : chosen);
    return new TorchCheckpointReader(f, Collections.unmodifiableMap(entries), Collections.unmodifiableMap(undecodable),
        chosen, Collections.unmodifiableSet(new LinkedHashSet<>(top.keySet())));
  }

  /** The archive folder name plus '/', found from its single top-level {@code data.pkl}. */
  private static String archivePrefix(Path path, ZipArchive zip) throws WeightFormatException {
    List<String> pkls = new ArrayList<>();
    for (String name : zip.entries().keySet()) {
      if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
        pkls.add(name);
      }
    }
    if (pkls.size() != 1) {
      boolean script = zip.entries().keySet().stream().anyMatch(n -> n.endsWith("/constants.pkl"));
      throw new WeightFormatException(path, pkls.isEmpty()
          ? "zip archive without <archive>/data.pkl: not a torch.save checkpoint"
              + (script ? " (it looks like a TorchScript archive: load it with torch.jit.load)" : "")
          : "zip archive with several data.pkl entries " + pkls);
    }
    String pkl = pkls.get(0);
    return pkl.substring(0, pkl.length() - "data.pkl".length());
  }

  private static String chooseEntry(Path path, Map<?, ?> top, String wanted)
      throws WeightFormatException {
    if (wanted != null) {
      if (wanted.isEmpty() || top.get(wanted) instanceof Map<?, ?>) {
        return wanted;
      }
      throw new WeightFormatException(path, "no dict entry '" + wanted + "' at the top level (keys: "
          + keysForMessage(top) + ")");
    }
    for (String k : WRAPPER_KEYS) {
      if (top.get(k) instanceof Map<?, ?>) {
        return k;
      }
    }
    return "";
  }

  private static String keysForMessage(Map<?, ?> m) {
    List<String> keys = new ArrayList<>();
    for (Object k : m.keySet()) {
      if (keys.size() == 10) {
        keys.add("... " + (m.size() - 10) + " more");
        break;
      }
      keys.add(String.valueOf(k));
    }
    return keys.toString();
  }

  private static Entry resolve(MappedFile f, ZipArchive zip, String prefix, String key,
      TorchTensorRef ref) throws WeightFormatException {
    String name = prefix + "data/" + ref.storage().key();
    ZipArchive.Entry z = zip.entries().get(name);
    if (z == null) {
      throw new WeightFormatException(f.path(), "tensor '" + key + "' needs storage entry '" + name
          + "', which the archive does not have");
    }
    if (z.method() != 0) {
      throw new WeightFormatException(f.path(), "storage entry '" + name + "' is compressed (method "
          + z.method() + "); torch.save stores storages uncompressed, re-save the checkpoint with torch.save");
    }
    int itemSize = ref.dtype().byteSize();
    long[] span = ref.span();
    if (span[1] > z.size() / itemSize) {
      throw new WeightFormatException(f.path(), "tensor '" + key + "' reaches byte "
          + span[1] * itemSize + " of storage entry '" + name + "', which has only " + z.size()
          + " bytes (truncated or corrupt)");
    }
    TensorInfo info = new TensorInfo(key, ref.dtype().name(), ref.size());
    return new Entry(info, ref, z.dataOffset());
  }

  private static byte[] entryBytes(MappedFile f, ZipArchive.Entry e) throws WeightFormatException {
    if (e.compressedSize() > MAX_PICKLE_BYTES || e.size() > MAX_PICKLE_BYTES) {
      throw new WeightFormatException(f.path(), "entry '" + e.name() + "' is too large ("
          + e.size() + " bytes) for a pickle");
    }
    byte[] raw = f.readBytes(e.dataOffset(), (int) e.compressedSize(), "entry '" + e.name() + "'");
    if (e.method() == 0) {
      return raw;
    }
    if (e.method() != 8) {
      throw new WeightFormatException(f.path(), "entry '" + e.name() + "' uses unsupported zip "
          + "compression method " + e.method());
    }
    // torch.save stores everything, but a checkpoint re-zipped by another tool may deflate the pickle.
    Inflater inf = new Inflater(true);
    try {
      inf.setInput(raw);
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(64, e.size()));
      byte[] buf = new byte[65536];
      while (!inf.finished()) {
        int n = inf.inflate(buf);
        if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
          throw new WeightFormatException(f.path(), "entry '" + e.name() + "' is truncated");
        }
        out.write(buf, 0, n);
        if (out.size() > MAX_PICKLE_BYTES) {
          throw new WeightFormatException(f.path(), "entry '" + e.name() + "' inflates beyond "
              + MAX_PICKLE_BYTES + " bytes");
        }
      }
      return out.toByteArray();
    } catch (DataFormatException ex) {
      throw new WeightFormatException(f.path(), "entry '" + e.name() + "' is corrupt: " + ex.getMessage(), ex);
    } finally {
      inf.end();
    }
  }

  /** The file this reads. */
  public Path path() {
    return file.path();
  }

  /**
   * Which top-level entry holds the state dict: {@code "model"}, {@code "module"},
   * {@code "state_dict"}, another key chosen at open, or {@code ""} for the top level itself.
   */
  public String stateDictEntry() {
    return stateDictEntry;
  }

  /** The keys of the top-level dict, as strings (for diagnostics); unmodifiable. */
  public Set<String> topLevelKeys() {
    Set<String> out = new LinkedHashSet<>();
    for (Object k : topLevelKeys) {
      out.add(String.valueOf(k));
    }
    return Collections.unmodifiableSet(out);
  }

  @Override
  public Set<String> keys() {
    return keys;
  }

  @Override
  public TensorInfo info(String key) {
    return entry(key).info();
  }

  /**
   * Tensors of the state dict that are not in {@link #keys()} because this reader cannot decode
   * them (quantized, sparse, complex, a dtype without a safetensors equivalent), with why.
   */
  @Override
  public Map<String, String> undecodable() {
    return undecodable;
  }

  @Override
  public Tensor read(String key) {
    Entry e = entry(key);
    NativeRuntime.init();
    TorchTensorRef ref = e.ref();
    SafetensorsDtype dtype = ref.dtype();
    long itemSize = dtype.byteSize();
    Tensor t = empty(ref.size(), dtype);
    long numel = ref.numel();
    if (numel == 0) {
      return t;
    }
    String what = "tensor '" + key + "'";
    try {
      if (ref.contiguous()) {
        file.copyTo(e.storageOffset() + ref.offset() * itemSize, numel * itemSize, t.data_ptr(), what);
      } else {
        // A strided view (a transposed or sliced tensor saved as is): copy the storage span it
        // touches, view it with the saved strides, and let libtorch gather it into t.
        long[] span = ref.span();
        try (PointerScope inner = new PointerScope()) {
          Tensor run = empty(new long[] {span[1] - span[0]}, dtype);
          file.copyTo(e.storageOffset() + span[0] * itemSize, (span[1] - span[0]) * itemSize,
              run.data_ptr(), what);
          t.copy_(run.as_strided(ref.size(), ref.stride(), new LongOptional(0)));
        }
      }
    } catch (WeightFormatException ex) {
      t.close();
      throw new IllegalStateException(ex.getMessage(), ex);
    } catch (RuntimeException ex) {
      t.close();
      throw ex;
    }
    return t;
  }

  private static Tensor empty(long[] shape, SafetensorsDtype dtype) {
    try (TensorOptions o = new TensorOptions(dtype.scalarType());
        MemoryFormatOptional mf = new MemoryFormatOptional()) {
      return torch.empty(shape, o, mf);
    }
  }

  private Entry entry(String key) {
    Entry e = entries.get(key);
    checkArgument(e != null || !undecodable.containsKey(key), "tensor '%s' in %s is present but not decodable: %s",
        key, file.path(), undecodable.get(key));
    checkArgument(e != null, "no tensor '%s' in %s (%s tensors)", key, file.path(), entries.size());
    return e;
  }

  @Override
  public void close() {
    file.close();
  }

  @Override
  public String toString() {
    return "TorchCheckpointReader[" + file.path() + ", " + entries.size() + " tensors"
        + (stateDictEntry.isEmpty() ? "" : " in '" + stateDictEntry + "'") + "]";
  }
}
