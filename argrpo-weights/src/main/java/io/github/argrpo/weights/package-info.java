/**
 * Weight files: reading and writing the tensors of a model.
 *
 * <ul>
 *   <li>{@link io.github.argrpo.weights.SafetensorsFile} reads Hugging Face safetensors files through
 *       a memory map; {@link io.github.argrpo.weights.SafetensorsWriter} writes them.
 *   <li>{@link io.github.argrpo.weights.TorchCheckpointReader} reads the zip archives of Python
 *       {@code torch.save} (the official LlamaGen {@code .pt} checkpoints) without Python.
 *   <li>{@link io.github.argrpo.weights.WeightFiles#open(java.nio.file.Path)} picks the reader by
 *       content; both readers are a {@link io.github.argrpo.weights.WeightSource}.
 *   <li>{@link io.github.argrpo.weights.StateDictLoader} copies a weight source into a live model,
 *       checking every key and shape before it copies anything.
 * </ul>
 *
 * <p>Every malformed file fails with a {@link io.github.argrpo.weights.WeightFormatException} that
 * names the file and the problem: offsets and lengths are checked against the file size before any
 * native memory is touched, so a corrupt file cannot crash the JVM.
 */
package io.github.argrpo.weights;
