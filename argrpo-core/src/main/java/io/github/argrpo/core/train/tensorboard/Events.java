package io.github.argrpo.core.train.tensorboard;

/**
 * Encodes the {@code tensorflow.Event} messages a TensorBoard run needs (field numbers from
 * TensorFlow's {@code event.proto} and {@code summary.proto}):
 *
 * <pre>
 * Event         { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
 * Summary       { repeated Value value = 1; }
 * Summary.Value { string tag = 1; float simple_value = 2; Image image = 4; }
 * Summary.Image { int32 height = 1; int32 width = 2; int32 colorspace = 3; bytes encoded_image_string = 4; }
 * </pre>
 */
public final class Events {

  /** What the first record of every event file says; TensorBoard checks it. */
  public static final String FILE_VERSION = "brain.Event:2";

  /** {@code Summary.Image.colorspace} of an RGB image. */
  static final int RGB = 3;

  private Events() {}

  /** The file-version event that opens an event file. */
  public static byte[] fileVersion(double wallTime) {
    return new ProtoWriter().doubleField(1, wallTime).string(3, FILE_VERSION).toByteArray();
  }

  /** One scalar ({@code simple_value}) at {@code step}. */
  public static byte[] scalar(double wallTime, long step, String tag, float value) {
    ProtoWriter v = new ProtoWriter().string(1, tag).floatField(2, value);
    return summary(wallTime, step, v);
  }

  /** One image, {@code png} being the encoded PNG file of a {@code width x height} RGB image. */
  public static byte[] image(double wallTime, long step, String tag, int width, int height, byte[] png) {
    ProtoWriter img = new ProtoWriter().varint(1, height).varint(2, width).varint(3, RGB).bytes(4, png);
    ProtoWriter v = new ProtoWriter().string(1, tag).message(4, img);
    return summary(wallTime, step, v);
  }

  private static byte[] summary(double wallTime, long step, ProtoWriter value) {
    ProtoWriter summary = new ProtoWriter().message(1, value);
    return new ProtoWriter().doubleField(1, wallTime).varint(2, step).message(5, summary).toByteArray();
  }
}
