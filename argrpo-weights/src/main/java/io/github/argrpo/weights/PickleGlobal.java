package io.github.argrpo.weights;

/**
 * A class or function named by a pickle {@code GLOBAL} opcode, e.g.
 * {@code torch._utils._rebuild_tensor_v2}. Nothing is imported or executed: the reader only compares
 * names.
 */
record PickleGlobal(String module, String name) {

  /** {@code module + "." + name}. */
  String qualifiedName() {
    return module + "." + name;
  }

  @Override
  public String toString() {
    return qualifiedName();
  }
}
