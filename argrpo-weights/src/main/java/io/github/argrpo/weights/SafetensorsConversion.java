package io.github.argrpo.weights;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the tensors of a {@link WeightSource} (a {@code torch.save} checkpoint, another safetensors
 * file, shards) into a safetensors file, streamed: one tensor is read, cast, written and freed before
 * the next is read, so converting a 12 GB GPT-3B checkpoint needs the memory of its largest tensor,
 * not of the whole state dict. The bytes are those {@link SafetensorsWriter#write} gives for the same
 * tensors (the layout is planned from the tensor infos in the same order).
 *
 * <pre>{@code
 * try (WeightSource src = WeightFiles.open(Path.of("c2i_XL_384.pt"))) {
 *   SafetensorsConversion.convert(src, null, ScalarType.BFloat16, Path.of("c2i_XL_384.safetensors"), Map.of());
 * }
 * }</pre>
 */
public final class SafetensorsConversion {

  private static final Logger LOG = LoggerFactory.getLogger(SafetensorsConversion.class);

  private static final Set<SafetensorsDtype> FLOATING = EnumSet.of(SafetensorsDtype.F64, SafetensorsDtype.F32,
      SafetensorsDtype.F16, SafetensorsDtype.BF16, SafetensorsDtype.F8_E5M2, SafetensorsDtype.F8_E4M3);

  private SafetensorsConversion() {}

  /**
   * Writes the tensors of {@code source} to {@code out}.
   *
   * @param prefix keep only keys starting with it and strip it (an AR-GRPO checkpoint's
   *     {@code gpt_model.}); null keeps every key as is
   * @param floatType the dtype of floating-point tensors in the output; null keeps each tensor's
   *     (integer and bool tensors are always kept)
   * @param metadata the safetensors {@code __metadata__} map (may be empty)
   * @return the number of tensors written
   * @throws IllegalArgumentException if no key starts with {@code prefix}
   * @throws IOException if {@code out} cannot be written; it is then left unchanged
   */
  public static int convert(WeightSource source, String prefix, ScalarType floatType, Path out,
      Map<String, String> metadata) throws IOException {
    checkNotNull(source, "source");
    checkNotNull(out, "out");
    checkNotNull(metadata, "metadata");
    SafetensorsDtype cast = floatType == null ? null : SafetensorsDtype.of(floatType);
    List<TensorInfo> layout = new ArrayList<>();
    for (String k : source.keys()) {
      if (prefix == null || k.startsWith(prefix)) {
        TensorInfo i = source.info(k);
        SafetensorsDtype d = SafetensorsDtype.fromName(i.dtype());
        String dtype = cast != null && FLOATING.contains(d) ? cast.name() : d.name();
        layout.add(new TensorInfo(prefix == null ? k : k.substring(prefix.length()), dtype, i.shape()));
      }
    }
    checkArgument(!layout.isEmpty(), "no key of %s starts with '%s'", source, prefix);
    List<TensorInfo> ordered = SafetensorsWriter.pythonOrder(layout);
    try (SafetensorsWriter.Stream stream = SafetensorsWriter.stream(out, ordered, metadata)) {
      for (TensorInfo t : ordered) {
        // one scope per tensor: it is freed before the next is read
        try (PointerScope scope = new PointerScope()) {
          Tensor read = source.read(prefix == null ? t.name() : prefix + t.name());
          SafetensorsDtype want = SafetensorsDtype.fromName(t.dtype());
          stream.write(t.name(), SafetensorsDtype.of(read.scalar_type()) == want ? read : read.to(want.scalarType()));
        }
      }
      stream.commit();
    }
    LOG.debug("converted {} tensors of {} to {}", ordered.size(), source, out);
    return ordered.size();
  }
}
