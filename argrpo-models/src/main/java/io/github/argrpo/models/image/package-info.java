/**
 * Image files: {@link io.github.argrpo.models.image.Png} saves {@link io.github.argrpo.core.image.ImageBatch}es
 * as PNG (one image, or a torchvision-style grid laid out by {@link io.github.argrpo.core.image.ImageGrid})
 * and loads PNGs back into batches.
 */
package io.github.argrpo.models.image;
