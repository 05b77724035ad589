/**
 * TensorBoard event files written without TensorFlow: the TFRecord framing ({@link TfRecordWriter}),
 * the few {@code Event} / {@code Summary} protobuf messages a scalar or image needs ({@link Events},
 * encoded by hand, no protobuf library), and the {@link TensorBoardListener} that logs a training
 * run, so {@code tensorboard --logdir runs} shows argrpo runs as it shows TRL's.
 */
package io.github.argrpo.core.train.tensorboard;
