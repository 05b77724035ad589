/** Benchmark programs: throughput of the models and rewards on this machine. */
package io.github.argrpo.examples.bench;
