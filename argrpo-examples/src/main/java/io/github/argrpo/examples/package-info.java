/**
 * The {@code argrpo} command-line program ({@link io.github.argrpo.examples.Main}): the embedded demo,
 * training, sampling, exports and benchmarks.
 */
package io.github.argrpo.examples;
