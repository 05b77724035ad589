/**
 * LlamaGen's VQ image tokenizer on libtorch ({@code tokenizer/tokenizer_image/vq_model.py}).
 *
 * <p>{@link io.github.argrpo.models.vq.VqModel} is the network: images to codes with
 * {@link io.github.argrpo.models.vq.VqEncoder} and the L2-normalised nearest-entry search of
 * {@link io.github.argrpo.models.vq.VectorQuantizer}, codes to images with
 * {@link io.github.argrpo.models.vq.VqDecoder}. {@link io.github.argrpo.models.vq.VqLoader} reads and writes
 * its weights, and {@link io.github.argrpo.models.vq.VqTokenizer} wraps it as the core
 * {@link io.github.argrpo.core.tokenizer.Tokenizer} (images in {@code [0, 1]}, LlamaGen's uint8 conversion),
 * as {@code LlamaGenGpt} and {@code LlamaGenPolicy} split the GPT. The building blocks ({@link io.github.argrpo.models.vq.ResnetBlock},
 * {@link io.github.argrpo.models.vq.AttnBlock}, {@link io.github.argrpo.models.vq.Downsample},
 * {@link io.github.argrpo.models.vq.Upsample}, {@link io.github.argrpo.models.vq.Normalize},
 * {@link io.github.argrpo.models.vq.ResolutionLevel}) carry the reference's module names, so state dicts
 * (the official {@code vq_ds16_c2i.pt}, safetensors exports) map 1:1. Architecture:
 * {@link io.github.argrpo.models.vq.VqConfig} with the VQ-16 and VQ-8 presets.
 *
 * <pre>{@code
 * try (VqTokenizer vq = VqTokenizer.load(VqConfig.vq16(), Path.of("vq_ds16_c2i.safetensors"), Precision.FP32, DeviceSpec.CPU);
 *      PointerScope scope = new PointerScope()) {
 *   Tensor codes = vq.encode(images);              // (N, 256) int64 for 256 px
 *   Tensor rgb8 = vq.decodeToUint8(codes);         // (N, 256, 256, 3) uint8, LlamaGen's conversion
 * }
 * }</pre>
 */
package io.github.argrpo.models.vq;
