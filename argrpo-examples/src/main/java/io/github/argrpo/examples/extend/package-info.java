/**
 * The two extension points as small programs to copy from (docs/architecture.md, "Extension points"):
 * {@link io.github.argrpo.examples.extend.CustomRewardExample} writes a reward in Java and uses it from a
 * YAML reward stack through its provider; {@link io.github.argrpo.examples.extend.CustomPolicyExample}
 * wraps another autoregressive model (a GRU, {@link io.github.argrpo.examples.extend.GruPolicy}) as a
 * {@code Policy} and trains it with {@code GrpoTrainer}. Each has a {@code runExample(args)} that the
 * tests call with tiny arguments.
 */
package io.github.argrpo.examples.extend;
