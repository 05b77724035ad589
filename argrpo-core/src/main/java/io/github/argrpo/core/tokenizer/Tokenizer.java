package io.github.argrpo.core.tokenizer;

import static com.google.common.base.Preconditions.checkArgument;

import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.image.ImageBatch;

/**
 * A discrete image tokenizer (LlamaGen's VQ model): images to a grid of codebook indices and back.
 *
 * <p>Token grids are flattened in raster order: row {@code n} of a {@code (N, h*w)} int64 tensor holds
 * image {@code n}'s codes, row-major. Implementations own native memory and are closed by their creator.
 */
public interface Tokenizer extends AutoCloseable {

  /** Number of codebook entries (the policy's vocabulary size, 16384 for LlamaGen VQ). */
  int codebookSize();

  /** Pixels per token side (16 for VQ-16, 8 for VQ-8). */
  int downsampleFactor();

  /** The token grid side for square images of {@code imageSize} pixels. */
  default int gridSize(int imageSize) {
    checkArgument(imageSize % downsampleFactor() == 0,
        "image size %s is not a multiple of the downsample factor %s", imageSize, downsampleFactor());
    return imageSize / downsampleFactor();
  }

  /**
   * Decodes {@code (N, grid*grid)} int64 codes of square grids into images in {@code [0, 1]} (the
   * decoder output {@code x} mapped by {@code clamp((x + 1) / 2, 0, 1)}). The caller closes the batch.
   */
  ImageBatch decode(Tensor codes);

  /**
   * Encodes images (square, side a multiple of {@link #downsampleFactor()}) into {@code (N, grid*grid)}
   * int64 codes, owned by the caller's {@code PointerScope}.
   */
  Tensor encode(ImageBatch images);

  @Override
  void close();
}
