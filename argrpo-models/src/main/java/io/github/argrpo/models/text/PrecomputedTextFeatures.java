package io.github.argrpo.models.text;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.argrpo.core.condition.TextEncoder;
import io.github.argrpo.core.condition.TextFeatures;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.weights.SafetensorsFile;
import io.github.argrpo.weights.SafetensorsWriter;
import io.github.argrpo.weights.TensorInfo;

/**
 * A {@link TextEncoder} backed by a safetensors file of precomputed text features, one entry per
 * prompt of a prompt set, looked up by prompt text.
 *
 * <p><b>File layout</b> (written by {@link #write} or by the Python script of {@code docs/text-features.md}):
 * <ul>
 *   <li>metadata {@code format = argrpo-text-features/1}, {@code prompts} = a JSON array of the prompt
 *       texts (entry {@code i} belongs to index {@code i}), {@code padding = left} or {@code right}
 *       (absent: left);
 *   <li>tensor {@code features.<i>}: {@code (tokens, dim)} in any float dtype (T5 runs in bf16 in
 *       LlamaGen, so bf16 files are exact and half the size);
 *   <li>tensor {@code mask.<i>}: {@code (tokens)} bool, u8 or integer, non-zero on real tokens.
 * </ul>
 *
 * <p>LlamaGen's sampling script rotates the right-padded T5 output so the valid tokens (EOS included)
 * occupy the <i>last</i> positions, and zeroes the padding features ({@link TextPadding#LEFT}, the
 * default): a stored mask must then be a run of padding followed by a run of valid tokens, with at
 * least one valid token, and padding features are zeroed on read whatever the file holds. A store
 * written with {@link TextPadding#RIGHT} (AR-GRPO's layout) holds masks of valid tokens first, and its
 * padding features are returned as stored (T5's outputs at the padding positions, as AR-GRPO feeds
 * them). One entry per prompt keeps reads lazy: the
 * file stays memory-mapped and a prompt reads its own 120 x 2048 block (a 30k prompt set is GBs).
 *
 * <pre>{@code
 * try (PrecomputedTextFeatures store = PrecomputedTextFeatures.open(Path.of("drawbench.safetensors"))) {
 *   TextFeatures f = store.encode("a red bicycle leaning on a wall");   // 120 x 2048, left-padded
 * }
 * }</pre>
 *
 * <p>Thread-safe for reads (the underlying {@link SafetensorsFile} is).
 */
public final class PrecomputedTextFeatures implements TextEncoder {

  /** The {@code format} metadata value of this layout. */
  public static final String FORMAT = "argrpo-text-features/1";

  private static final Logger LOG = LoggerFactory.getLogger(PrecomputedTextFeatures.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SafetensorsFile file;
  private final List<String> prompts;
  private final Map<String, Integer> index;
  private final int tokens;
  private final int dim;
  private final TextPadding padding;

  private PrecomputedTextFeatures(SafetensorsFile file, List<String> prompts, int tokens, int dim, TextPadding padding) {
    this.padding = padding;
    this.file = file;
    this.prompts = prompts;
    this.tokens = tokens;
    this.dim = dim;
    Map<String, Integer> m = new HashMap<>();
    for (int i = prompts.size() - 1; i >= 0; i--) {
      m.put(prompts.get(i), i); // the first occurrence wins (DrawBench repeats each prompt 5 times)
    }
    this.index = m;
  }

  /**
   * Opens and validates a store: the format tag, the prompt list, and the name, rank and shape of every
   * tensor (no feature data is read yet).
   *
   * @throws IOException if the file is missing or unreadable
   * @throws IllegalArgumentException if the file is not a text-feature store or is inconsistent; the
   *     message says what was expected and what was found
   */
  public static PrecomputedTextFeatures open(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new NoSuchFileException(path.toString(), null,
          "text features file not found (produce it with the script in docs/text-features.md)");
    }
    SafetensorsFile f = SafetensorsFile.open(path);
    try {
      Map<String, String> meta = f.metadata();
      String format = meta.get("format");
      checkArgument(FORMAT.equals(format), "%s: expected metadata format '%s', got %s (is this a text-feature store?)",
          path, FORMAT, format == null ? "none" : "'" + format + "'");
      TextPadding padding;
      try {
        padding = TextPadding.parse(meta.getOrDefault("padding", "left"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(path + ": metadata 'padding': " + e.getMessage(), e);
      }
      List<String> prompts = parsePrompts(path, meta.get("prompts"));
      int tokens = -1;
      int dim = -1;
      for (int i = 0; i < prompts.size(); i++) {
        TensorInfo fi = require(f, path, "features." + i);
        TensorInfo mi = require(f, path, "mask." + i);
        long[] fs = fi.shape();
        long[] ms = mi.shape();
        if (fs.length != 2) {
          throw new IllegalArgumentException(path + ": features." + i + " must be (tokens, dim), got shape "
              + Arrays.toString(fs));
        }
        if (tokens < 0) {
          tokens = (int) fs[0];
          dim = (int) fs[1];
        }
        if (fs[0] != tokens || fs[1] != dim) {
          throw new IllegalArgumentException(path + ": features." + i + " has shape " + Arrays.toString(fs)
              + ", expected [" + tokens + ", " + dim + "] like features.0");
        }
        if (ms.length != 1 || ms[0] != tokens) {
          throw new IllegalArgumentException(path + ": mask." + i + " must have shape [" + tokens + "], got "
              + Arrays.toString(ms));
        }
        checkArgument(!(!fi.dtype().startsWith("F") && !fi.dtype().equals("BF16")),
            "%s: features.%s must be a float tensor, got %s", path, i, fi.dtype());
      }
      int expected = 2 * prompts.size();
      if (f.keys().size() != expected) {
        List<String> extra = new ArrayList<>();
        for (String k : f.keys()) {
          if (!k.matches("(features|mask)\\.\\d+") || Integer.parseInt(k.substring(k.indexOf('.') + 1)) >= prompts.size()) {
            extra.add(k);
          }
        }
        throw new IllegalArgumentException(path + ": " + prompts.size() + " prompts need " + expected
            + " tensors (features.i, mask.i), found " + f.keys().size() + "; unexpected: " + extra);
      }
      LOG.info("text features {}: {} prompts, {} x {}", path, prompts.size(), tokens, dim);
      return new PrecomputedTextFeatures(f, prompts, tokens, dim, padding);
    } catch (RuntimeException e) {
      f.close();
      throw e;
    }
  }

  private static TensorInfo require(SafetensorsFile f, Path path, String key) {
    checkArgument(f.keys().contains(key),
        "%s: missing tensor '%s' (every prompt i needs features.i and mask.i)", path, key);
    return f.info(key);
  }

  private static List<String> parsePrompts(Path path, String json) {
    checkArgument(json != null, "%s: metadata has no 'prompts' entry (a JSON array of the prompt texts)", path);
    List<String> p;
    try {
      p = JSON.readValue(json, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(path + ": metadata 'prompts' must be a JSON array of strings: " + e.getOriginalMessage());
    }
    checkArgument(!p.isEmpty(), "%s: the prompt list is empty", path);
    for (int i = 0; i < p.size(); i++) {
      checkArgument(p.get(i) != null && !p.get(i).isBlank(), "%s: prompt %s is empty", path, i);
    }
    return Collections.unmodifiableList(new ArrayList<>(p));
  }

  /**
   * Writes a store for {@code prompts} and their features (same order; features of equal shape,
   * left-padded) as float32, or bfloat16 when {@code bf16}.
   *
   * @throws IllegalArgumentException if the lists differ in length, are empty, or a mask is not left padding
   */
  public static void write(Path path, List<String> prompts, List<TextFeatures> features, boolean bf16) throws IOException {
    write(path, prompts, features, bf16, TextPadding.LEFT);
  }

  /**
   * As {@link #write(Path, List, List, boolean)}, for features laid out with {@code padding}.
   *
   * @throws IllegalArgumentException also if a mask is not of that layout
   */
  public static void write(Path path, List<String> prompts, List<TextFeatures> features, boolean bf16,
      TextPadding padding) throws IOException {
    checkArgument(prompts.size() == features.size() && !prompts.isEmpty(),
        "expected one feature set per prompt and at least one prompt, got %s prompts and %s feature sets",
        prompts.size(), features.size());
    TextFeatures first = features.get(0);
    try (Writer w = writer(path, prompts, first.tokens(), first.dim(), bf16, padding)) {
      for (TextFeatures f : features) {
        w.append(f);
      }
      w.commit();
    }
  }

  /**
   * Opens a store for {@code prompts} that is filled one feature set at a time, in prompt order, so
   * a prompt set of any size is written with one prompt's features in memory (30,000 COCO captions
   * are 15 GB in bf16). The file appears at {@code path} only on {@link Writer#commit()}.
   *
   * <pre>{@code
   * try (PrecomputedTextFeatures.Writer w = PrecomputedTextFeatures.writer(out, prompts, 120, 2048, true)) {
   *   for (String p : prompts) {
   *     w.append(encoder.encode(p));
   *   }
   *   w.commit();
   * }
   * }</pre>
   *
   * @throws IllegalArgumentException for an empty prompt list or non-positive sizes
   */
  public static Writer writer(Path path, List<String> prompts, int tokens, int dim, boolean bf16) throws IOException {
    return writer(path, prompts, tokens, dim, bf16, TextPadding.LEFT);
  }

  /**
   * As {@link #writer(Path, List, int, int, boolean)}, for features laid out with {@code padding}
   * (recorded in the metadata; {@link Writer#append} checks each mask against it).
   */
  public static Writer writer(Path path, List<String> prompts, int tokens, int dim, boolean bf16, TextPadding padding)
      throws IOException {
    checkNotNull(padding, "padding");
    checkArgument(!prompts.isEmpty(), "a text-feature store needs at least one prompt");
    checkArgument(tokens > 0 && dim > 0, "tokens and dim must be positive, got %s x %s", tokens, dim);
    NativeRuntime.init();
    List<TensorInfo> layout = new ArrayList<>(2 * prompts.size());
    for (int i = 0; i < prompts.size(); i++) {
      // one prompt's features then its mask: the order the writer receives them in
      layout.add(new TensorInfo("features." + i, bf16 ? "BF16" : "F32", new long[] {tokens, dim}));
      layout.add(new TensorInfo("mask." + i, "BOOL", new long[] {tokens}));
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("padding", padding.key());
    meta.put("prompts", JSON.writeValueAsString(prompts));
    return new Writer(SafetensorsWriter.stream(path, layout, meta), prompts.size(), tokens, dim, bf16, padding);
  }

  /** A store being written prompt by prompt; see {@link PrecomputedTextFeatures#writer}. Not thread-safe. */
  public static final class Writer implements AutoCloseable {

    private final SafetensorsWriter.Stream out;
    private final int size;
    private final int tokens;
    private final int dim;
    private final boolean bf16;
    private final TextPadding padding;
    private int written;

    private Writer(SafetensorsWriter.Stream out, int size, int tokens, int dim, boolean bf16, TextPadding padding) {
      this.padding = padding;
      this.out = out;
      this.size = size;
      this.tokens = tokens;
      this.dim = dim;
      this.bf16 = bf16;
    }

    /**
     * Adds the features of the next prompt.
     *
     * @throws IllegalArgumentException if the shape differs from the store's or the mask is not left padding
     * @throws IllegalStateException if every prompt already has its features
     */
    public void append(TextFeatures f) throws IOException {
      checkState(written != size, "all %s prompts already have features", size);
      checkArgument(f.tokens() == tokens && f.dim() == dim,
          "feature set %s is %s x %s, the store holds %s x %s", written, f.tokens(), f.dim(), tokens, dim);
      padding.checkMask(f.mask(), "feature set " + written);
      try (PointerScope scope = new PointerScope()) {
        Tensor t = Tensor.create(f.values(), tokens, dim);
        out.write("features." + written, bf16 ? t.to(ScalarType.BFloat16) : t);
        boolean[] m = f.mask();
        byte[] mb = new byte[m.length];
        for (int k = 0; k < m.length; k++) {
          mb[k] = (byte) (m[k] ? 1 : 0);
        }
        out.write("mask." + written, Tensor.create(mb, m.length).to(ScalarType.Bool));
      }
      written++;
    }

    /** How many prompts have their features so far. */
    public int written() {
      return written;
    }

    /**
     * Moves the finished file into place.
     *
     * @throws IllegalStateException if some prompts have no features yet
     */
    public void commit() throws IOException {
      checkState(written == size, "only %s of %s prompts have features", written, size);
      out.commit();
    }

    /** Discards the file unless committed; idempotent. */
    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /** The layout of the stored features. */
  public TextPadding padding() {
    return padding;
  }

  /** The prompts in index order. */
  public List<String> prompts() {
    return prompts;
  }

  /** The number of prompts. */
  public int size() {
    return prompts.size();
  }

  /** Whether the store holds {@code prompt} (exact text). */
  public boolean contains(String prompt) {
    return index.containsKey(prompt);
  }

  @Override
  public int tokens() {
    return tokens;
  }

  @Override
  public int dim() {
    return dim;
  }

  /**
   * The features of {@code prompt} (exact text; the first entry if it occurs more than once).
   *
   * @throws IllegalArgumentException if the store does not hold it
   */
  @Override
  public TextFeatures encode(String prompt) {
    Integer i = index.get(prompt);
    if (i == null) {
      throw new IllegalArgumentException("the text features file " + file.path() + " has no entry for prompt '"
          + abbreviate(prompt) + "' (" + prompts.size() + " prompts; regenerate the file for this prompt set)");
    }
    return features(i);
  }

  /**
   * The features of entry {@code i}; with left padding, padding features zeroed.
   *
   * @throws IllegalArgumentException if the mask of the entry is not of the store's padding
   */
  public TextFeatures features(int i) {
    if (i < 0 || i >= prompts.size()) {
      throw new IndexOutOfBoundsException("prompt index " + i + " outside [0, " + prompts.size() + ")");
    }
    float[] v = new float[tokens * dim];
    byte[] mb = new byte[tokens];
    try (PointerScope scope = new PointerScope()) {
      Tensor f = file.read("features." + i).to(ScalarType.Float).contiguous();
      new FloatPointer(f.data_ptr_float()).get(v);
      Tensor m = file.read("mask." + i).ne(new Scalar(0)).to(ScalarType.Byte).contiguous();
      new BytePointer(m.data_ptr_byte()).get(mb);
    }
    boolean[] mask = new boolean[tokens];
    for (int k = 0; k < tokens; k++) {
      mask[k] = mb[k] != 0;
      if (!mask[k] && padding == TextPadding.LEFT) {
        // LlamaGen multiplies the rotated features by the mask: padding carries zeros (AR-GRPO does not)
        Arrays.fill(v, k * dim, (k + 1) * dim, 0f);
      }
    }
    padding.checkMask(mask, file.path() + " entry " + i);
    return new TextFeatures(v, tokens, dim, mask);
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  @Override
  public void close() {
    file.close();
  }
}
