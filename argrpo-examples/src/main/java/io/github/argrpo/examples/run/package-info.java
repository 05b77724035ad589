/**
 * Run configurations of the {@code argrpo} program: the YAML sections {@code model}, {@code vq},
 * {@code conditions}, {@code rewards} and {@code trainer} ({@link io.github.argrpo.examples.run.RunConfig}),
 * and what they load ({@link io.github.argrpo.examples.run.LoadedModels}: the LlamaGen policy, the VQ
 * tokenizer, text features), with one-line errors naming the key or file to fix.
 */
package io.github.argrpo.examples.run;
