/**
 * A tiny autoregressive policy ({@link io.github.argrpo.core.toy.ToyPolicy}) that implements the whole
 * {@link io.github.argrpo.core.policy.Policy} contract in microseconds: for tests, for the consumer-project
 * check, and to learn the API before loading a real LlamaGen model.
 */
package io.github.argrpo.core.toy;
