package io.github.argrpo.weights;

/**
 * A tensor entry of a {@code torch.save} pickle that this reader recognises as a tensor but cannot
 * turn into one (a quantized or sparse tensor, a dtype without a safetensors equivalent), with why.
 *
 * @param reason what it is and how to get a readable file, for messages
 */
record UndecodableTensor(String reason) {}
