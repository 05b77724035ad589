/** Discrete image tokenizers: the {@link io.github.argrpo.core.tokenizer.Tokenizer} interface. */
package io.github.argrpo.core.tokenizer;
