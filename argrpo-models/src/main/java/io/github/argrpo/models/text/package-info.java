/**
 * Text features for LlamaGen's text-to-image models, behind the core
 * {@link io.github.argrpo.core.condition.TextEncoder} interface:
 * <ul>
 *   <li>{@link io.github.argrpo.models.text.T5TextEncoder}: LlamaGen's text path natively, from a
 *       Hugging Face FLAN-T5 folder: {@link io.github.argrpo.models.text.CaptionCleaner} (PixArt's
 *       {@code clean_caption}, twice), the SentencePiece tokenizer and the T5 encoder of
 *       {@link io.github.argrpo.models.text.t5}, and the 120-token left padding;
 *   <li>{@link io.github.argrpo.models.text.PrecomputedTextFeatures}: a safetensors store of such
 *       features computed once ({@code argrpo encode-text}, or the Python script of
 *       {@code docs/text-features.md}), read lazily per prompt.
 * </ul>
 */
package io.github.argrpo.models.text;
