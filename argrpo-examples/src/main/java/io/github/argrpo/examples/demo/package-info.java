/**
 * The embedded demo: a synthetic world of coloured shapes ({@link io.github.argrpo.examples.demo.ShapeWorld}),
 * a programmatic reward whose optimum is visible ({@link io.github.argrpo.examples.demo.ShapeReward}), and
 * the run that pretrains a tiny LlamaGen and fine-tunes it with GRPO
 * ({@link io.github.argrpo.examples.demo.ShapeWorldDemo}).
 */
package io.github.argrpo.examples.demo;
