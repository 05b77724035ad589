package io.github.argrpo.weights;

import java.util.List;

/**
 * An object of a class the checkpoint reader does not model (an {@code argparse.Namespace}, optimizer
 * state, ...): the pickle is still read to the end, and the object just records what built it so
 * that unknown entries never stop the tensors from loading.
 */
final class PickleObject {

  private final Object type;
  private final List<Object> args;
  private Object state;

  PickleObject(Object type, List<Object> args) {
    this.type = type;
    this.args = args;
  }

  /** The callable or class that built it (usually a {@link PickleGlobal}). */
  Object type() {
    return type;
  }

  /** The arguments it was called with. */
  List<Object> args() {
    return args;
  }

  /** The state given by {@code BUILD}, or {@code null}. */
  Object state() {
    return state;
  }

  void setState(Object state) {
    this.state = state;
  }

  @Override
  public String toString() {
    return "<" + PickleReader.describe(type) + " object>";
  }
}
