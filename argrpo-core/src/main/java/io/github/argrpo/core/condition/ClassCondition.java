package io.github.argrpo.core.condition;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Class-to-image condition: a 0-based class index into the model's class-embedding table.
 *
 * @param label the class index, {@code >= 0}; the upper bound is the model's class count, checked by
 *     the policy that consumes it
 */
public record ClassCondition(int label) implements Condition {

  public ClassCondition {
    checkArgument(label >= 0, "class label must be >= 0, got %s", label);
  }

  @Override
  public String describe() {
    return "class " + label;
  }
}
