package io.github.argrpo.weights;

import java.util.List;

/**
 * A weight file that does not fit a model: thrown by {@link StateDictLoader} before anything is
 * copied, naming every missing, unexpected and shape-mismatched key at once.
 */
public class StateDictMismatchException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final List<String> missing;
  private final List<String> unexpected;
  private final List<String> shapeMismatches;

  /**
   * @param source what was loaded (file name), for the message
   * @param missing model keys the file lacks
   * @param unexpected file keys the model lacks
   * @param shapeMismatches one line per key: {@code key: file [a, b] vs model [c, d]}
   */
  public StateDictMismatchException(String source, List<String> missing, List<String> unexpected,
      List<String> shapeMismatches) {
    this(source, missing, unexpected, shapeMismatches, null);
  }

  /**
   * As {@link #StateDictMismatchException(String, List, List, List)}, with a first line saying what
   * probably went wrong and how to fix it (null for none).
   */
  public StateDictMismatchException(String source, List<String> missing, List<String> unexpected,
      List<String> shapeMismatches, String hint) {
    super(message(source, missing, unexpected, shapeMismatches, hint));
    this.missing = List.copyOf(missing);
    this.unexpected = List.copyOf(unexpected);
    this.shapeMismatches = List.copyOf(shapeMismatches);
  }

  private static String message(String source, List<String> missing, List<String> unexpected,
      List<String> shapes, String hint) {
    StringBuilder sb = new StringBuilder("weights in " + source + " do not match the model:");
    if (hint != null) {
      sb.append("\n  ").append(hint);
    }
    if (!missing.isEmpty()) {
      sb.append("\n  missing from the file (").append(missing.size()).append("): ").append(missing);
    }
    if (!unexpected.isEmpty()) {
      sb.append("\n  unexpected in the file (").append(unexpected.size()).append("): ")
          .append(unexpected);
    }
    if (!shapes.isEmpty()) {
      sb.append("\n  shape mismatches (").append(shapes.size()).append("):");
      for (String s : shapes) {
        sb.append("\n    ").append(s);
      }
    }
    return sb.toString();
  }

  /** Model keys the file lacks. */
  public List<String> missing() {
    return missing;
  }

  /** File keys the model lacks. */
  public List<String> unexpected() {
    return unexpected;
  }

  /** {@code key: file [..] vs model [..]} for each key whose shapes differ. */
  public List<String> shapeMismatches() {
    return shapeMismatches;
  }
}
