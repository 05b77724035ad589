package io.github.argrpo.models.vq;

import org.bytedeco.pytorch.Tensor;

/**
 * What the VQ encoder produces for a batch: the quantized latents and their codebook indices.
 *
 * <p>Both tensors belong to the {@code PointerScope} that was innermost when {@link VqModel#encodeLatents}
 * was called, and are valid until it closes.
 *
 * @param quant the reference's {@code quant}: {@code (B, embed_dim, h, w)} fp32, the L2-normalised
 *     codebook entries, computed as the straight-through {@code z + (e - z)} like the reference
 * @param codes {@code (B, h*w)} int64 codebook indices, row-major (raster) over the grid
 * @param gridHeight latent rows {@code h}
 * @param gridWidth latent columns {@code w}
 */
public record VqEncoding(Tensor quant, Tensor codes, int gridHeight, int gridWidth) {}
