package io.github.argrpo.examples.cli;

import io.github.argrpo.core.policy.SamplingConfig;
import picocli.CommandLine.Option;

/** Sampling options; any not given keeps the command's default. */
public final class SamplingOptions {

  @Option(names = "--cfg-scale", paramLabel = "S", description = "Classifier-free guidance scale.")
  Double cfgScale;

  @Option(names = "--top-k", paramLabel = "K", description = "Top-k filter (0 = off).")
  Integer topK;

  @Option(names = "--top-p", paramLabel = "P", description = "Top-p filter (1 = off).")
  Double topP;

  @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature.")
  Double temperature;

  @Option(names = "--seed", paramLabel = "N", description = "Sampling seed (default: ${DEFAULT-VALUE}).", defaultValue = "0")
  long seed;

  /** {@code base} with the given options applied. */
  SamplingConfig apply(SamplingConfig base) {
    SamplingConfig.Builder b = base.toBuilder().seed(seed);
    if (cfgScale != null) {
      b.cfgScale(cfgScale);
    }
    if (topK != null) {
      b.topK(topK);
    }
    if (topP != null) {
      b.topP(topP);
    }
    if (temperature != null) {
      b.temperature(temperature);
    }
    return b.build();
  }
}
