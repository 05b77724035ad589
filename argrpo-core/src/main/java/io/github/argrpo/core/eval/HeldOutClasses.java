package io.github.argrpo.core.eval;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.train.ConditionSource;

/**
 * A class-to-image split into training and held-out classes: the training draw samples uniformly with
 * replacement from the classes that are not held out (as {@link ConditionSource#classes} does from all),
 * so the held-out evaluation measures classes GRPO never optimised.
 */
public final class HeldOutClasses {

  private final int numClasses;
  private final List<Integer> heldOut;
  private final int[] training;

  /** @param numClasses the model's classes; @param heldOut the classes to keep out of training */
  public HeldOutClasses(int numClasses, Collection<Integer> heldOut) {
    TreeSet<Integer> h = new TreeSet<>(heldOut);
    checkArgument(!(!h.isEmpty() && (h.first() < 0 || h.last() >= numClasses)),
        "held-out classes must be in [0, %s), got %s", numClasses, h);
    checkArgument(h.size() < numClasses, "holding out %s of %s classes leaves none to train on", h.size(), numClasses);
    this.numClasses = numClasses;
    this.heldOut = List.copyOf(h);
    this.training = new int[numClasses - h.size()];
    for (int c = 0, k = 0; c < numClasses; c++) {
      if (!h.contains(c)) {
        training[k++] = c;
      }
    }
  }

  /** The held-out classes as conditions, in ascending order. */
  public List<Condition> heldOutConditions() {
    List<Condition> out = new ArrayList<>();
    heldOut.forEach(c -> out.add(Condition.ofClass(c)));
    return out;
  }

  /** The training draw: uniform with replacement over the other classes, a pure function of the seed. */
  public ConditionSource trainingSource() {
    if (heldOut.isEmpty()) {
      return ConditionSource.classes(numClasses);
    }
    int[] pool = training.clone();
    return (count, seed) -> {
      SplittableRandom r = new SplittableRandom(seed);
      List<Condition> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        out.add(Condition.ofClass(pool[r.nextInt(pool.length)]));
      }
      return out;
    };
  }
}
