/**
 * Text features for LlamaGen's text-to-image models: {@link io.github.argrpo.models.text.PrecomputedTextFeatures},
 * a safetensors store of FLAN-T5-XL encodings (120 tokens, left-padded, masked) produced once with the
 * Python T5 (see {@code docs/text-features.md}), behind the core
 * {@link io.github.argrpo.core.condition.TextEncoder} interface.
 */
package io.github.argrpo.models.text;
