package io.github.argrpo.weights;

import java.util.Map;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;

/**
 * A read-only collection of named tensors stored in a file: a state dict on disk.
 *
 * <p>Implementations hold the file open (memory-mapped) until {@link #close()}; tensors returned by
 * {@link #read(String)} are copies and stay valid after the source is closed.
 *
 * <pre>{@code
 * try (WeightSource w = WeightFiles.open(Path.of("c2i_B_256.pt"));
 *      PointerScope scope = new PointerScope()) {
 *   for (String key : w.keys()) {
 *     Tensor t = w.read(key);          // owned by scope
 *   }
 * }
 * }</pre>
 */
public interface WeightSource extends AutoCloseable {

  /** The tensor names, in the order the file lists them; unmodifiable. */
  Set<String> keys();

  /**
   * Name, dtype and shape of one tensor, without reading its data.
   *
   * @throws IllegalArgumentException if {@code key} is not in {@link #keys()}
   */
  TensorInfo info(String key);

  /**
   * Reads one tensor into a new contiguous CPU tensor with its own memory, in the dtype it is stored
   * in. The caller owns it: the enclosing {@code PointerScope} frees it, or the caller closes it.
   *
   * @throws IllegalArgumentException if {@code key} is not in {@link #keys()}
   * @throws IllegalStateException if the source is closed
   */
  Tensor read(String key);

  /**
   * Tensors the file holds that this reader cannot decode (they are not in {@link #keys()}), each
   * with why, so that a load needing one can say so instead of calling it missing; unmodifiable.
   */
  default Map<String, String> undecodable() {
    return Map.of();
  }

  /** Releases the file mapping; idempotent. Tensors already read stay valid. */
  @Override
  void close();
}
