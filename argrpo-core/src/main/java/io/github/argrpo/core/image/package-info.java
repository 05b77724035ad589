/**
 * Images as they pass from tokenizer to rewards: {@link io.github.argrpo.core.image.ImageBatch}, a
 * {@code (N, 3, H, W)} float batch in {@code [0, 1]}, with conversions to Java images and bytes.
 */
package io.github.argrpo.core.image;
