package io.github.argrpo.core.grpo;

/** Which policy parameters AdamW's decoupled weight decay applies to. */
public enum WeightDecayScope {
  /** Every trainable parameter (the paper and the Hugging Face Trainer's AdamW as the AR-GRPO code ran it). */
  ALL,
  /**
   * Only parameters with two or more dimensions (weight matrices, embeddings); biases and norm scales
   * (dim &lt; 2) get none, as LlamaGen's {@code configure_optimizers} groups them.
   */
  MATRICES
}
